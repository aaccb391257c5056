#include "stack/stack_error.hpp"

namespace pp::stack {

void fail_at(const std::filesystem::path& file, int line, const std::string& message) {
  std::string where = file.string();
  if (line > 0) where += ":" + std::to_string(line);
  throw StackError(where + ": " + message);
}

}  // namespace pp::stack
