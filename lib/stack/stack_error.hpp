// The one error of the stack layer: what is wrong with a stack file, and where.
// Parsers throw it; load_stack() (stack_file.hpp) turns it into its result's
// error, so nothing above this layer sees an exception from it.
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>

namespace pp::stack {

struct StackError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws "<file>:<line>: <message>", or "<file>: <message>" when line is 0.
[[noreturn]] void fail_at(const std::filesystem::path& file, int line, const std::string& message);

}  // namespace pp::stack
