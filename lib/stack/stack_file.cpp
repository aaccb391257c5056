#include "stack/stack_file.hpp"

#include "stack/dotenv.hpp"
#include "stack/procfile.hpp"
#include "stack/read_text.hpp"
#include "stack/stack_error.hpp"
#include "stack/stack_order.hpp"
#include "stack/stack_yaml.hpp"

namespace pp::stack {

namespace {

Format format_of(const std::filesystem::path& file) {
  auto ext = file.extension();
  return ext == ".yaml" || ext == ".yml" ? Format::yaml : Format::procfile;
}

std::string check_stack_name(const std::string& name) {
  if (name.empty()) return "the stack's name is empty: give one";
  for (unsigned char c : name)
    if (c == '/' || c < 0x20 || c == 0x7f) return "stack name '" + name + "' may not hold '/' or control characters";
  return "";
}

}  // namespace

FoundFile find_stack_file(const std::filesystem::path& path) {
  FoundFile found;
  if (!path.is_absolute()) {
    found.error = "stack file path '" + path.string() + "' is not absolute";
    return found;
  }
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (st.type() == std::filesystem::file_type::not_found) {
    found.error = path.string() + " does not exist";
    return found;
  }
  if (ec) {
    found.error = path.string() + ": " + ec.message();
    return found;
  }
  if (st.type() != std::filesystem::file_type::directory) {
    found.file = path.lexically_normal();
    found.format = format_of(found.file);
    return found;
  }
  for (const char* name : kStackFileNames) {
    auto candidate = (path / name).lexically_normal();
    if (std::filesystem::exists(candidate, ec)) {
      found.file = candidate;
      found.format = format_of(candidate);
      return found;
    }
  }
  found.error = "no persistproc.yaml, process-compose.yaml (or .yml) or Procfile in " + path.string();
  return found;
}

LoadResult load_stack(const std::filesystem::path& path, const LoadOptions& options) {
  LoadResult result;
  FoundFile found = find_stack_file(path);
  if (!found.error.empty()) {
    result.error = found.error;
    return result;
  }
  try {
    std::string text = read_text(found.file, "stack file");
    auto dotenv_file = found.file.parent_path() / ".env";
    EnvMap dotenv;
    if (auto t = read_text_if_present(dotenv_file)) dotenv = parse_dotenv(*t, dotenv_file);
    StackSpec spec = found.format == Format::yaml ? parse_stack_yaml(text, found.file, dotenv)
                                                  : parse_procfile(text, found.file, dotenv);
    if (!options.name.empty()) spec.name = options.name;
    if (spec.name.empty()) spec.name = found.file.parent_path().filename().string();
    if (auto bad = check_stack_name(spec.name); !bad.empty()) fail_at(found.file, 0, bad);
    spec.order = dependency_order(spec);
    result.spec = std::move(spec);
  } catch (const StackError& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace pp::stack
