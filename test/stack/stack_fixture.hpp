// A stack file test's directory: write files into a fresh one, load it, and
// read the result or the error.
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "stack/stack_file.hpp"
#include "support/test_support.hpp"

namespace pp::stack::test {

// The test helper with `actions` as a shell command line (each word single-quoted).
inline std::string helper_shell_command(const std::vector<std::string>& actions) {
  std::string c = "'" + pp::test::kHelper + "'";
  for (const auto& a : actions) c += " '" + a + "'";
  return c;
}
// The same as a YAML scalar (double-quoted: the single quotes are the shell's).
inline std::string helper_yaml_command(const std::vector<std::string>& actions) {
  return "\"" + helper_shell_command(actions) + "\"";
}

// Paths compare as strings: GoogleTest cannot print a std::filesystem::path.
inline std::string str(const std::filesystem::path& p) { return p.string(); }

class StackDir {
 public:
  std::filesystem::path path() const { return dir_.path(); }
  std::filesystem::path file(const std::string& name) const { return path() / name; }

  // Writes `text` to `name` under the directory (making folders on the way).
  void write(const std::string& name, const std::string& text) const {
    auto f = file(name);
    std::filesystem::create_directories(f.parent_path());
    std::ofstream(f, std::ios::binary) << text;
  }

  // Loads the directory (or `name` in it) and expects success.
  StackSpec load(const std::string& name = "", const LoadOptions& options = {}) const {
    LoadResult r = load_stack(name.empty() ? path() : file(name), options);
    EXPECT_EQ(r.error, "");
    if (!r.spec) throw std::runtime_error("load failed: " + r.error);
    return std::move(*r.spec);
  }

  // Loads and expects an error; returns it.
  std::string error(const std::string& name = "", const LoadOptions& options = {}) const {
    LoadResult r = load_stack(name.empty() ? path() : file(name), options);
    EXPECT_FALSE(r.spec.has_value()) << "expected an error";
    return r.error;
  }

 private:
  pp::test::TempDir dir_;
};

}  // namespace pp::stack::test
