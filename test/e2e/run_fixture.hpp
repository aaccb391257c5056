// The fixture of the `run` tests: a server, a working directory, and `persistproc`
// started on pipes or in a real pseudo-terminal against that server.
#pragma once
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/pty_process.hpp"
#include "support/test_support.hpp"

namespace pp::test {

namespace json = boost::json;

inline const std::string kPrompt = "[y/N, c: pass Ctrl+C on to it] ";

class Run : public ::testing::Test {
 protected:
  Server s{{"-q"}};
  TempDir cwd;

  std::map<std::string, std::string> env() const {
    return {{"PERSISTPROC_PORT", std::to_string(s.port())}, {"PERSISTPROC_DATA_DIR", s.data_dir()},
            {"PERSISTPROC_FORMAT", ""}};
  }
  std::vector<std::string> argv(std::vector<std::string> args) const {
    args.insert(args.begin(), kBin);
    return args;
  }
  std::unique_ptr<PtyProcess> pty(std::vector<std::string> args) const {
    return std::make_unique<PtyProcess>(argv(std::move(args)), env(), cwd.path());
  }
  json::array processes() const {
    auto r = s.cli({"list", "--format", "json"});
    return json::parse(r.out).at("processes").as_array();
  }
  json::object only_process() const {
    auto p = processes();
    EXPECT_EQ(p.size(), 1u);
    return p.empty() ? json::object{} : p[0].as_object();
  }
};

}  // namespace pp::test
