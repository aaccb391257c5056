// A Procfile, foreman's format (docs/stacks.md#procfile): `name: command` per
// line, `#` comments and blank lines ignored. Every process is independent; each
// runs as `sh -c <command>` in the file's directory with the `.env` beside the
// file and PORT set as foreman sets it: the base port for the first process,
// then 100 more for each next one.
#pragma once
#include <filesystem>
#include <string_view>

#include "stack/dotenv.hpp"
#include "stack/stack_spec.hpp"

namespace pp::stack {

constexpr int kDefaultBasePort = 5000;
constexpr int kPortStep = 100;

// Parses `text`, read from `file` (absolute). The base port is `dotenv`'s PORT
// when that is a port number, else 5000. Throws StackError naming the line of
// anything that is not a comment, a blank or `name: command`, and a name used twice.
StackSpec parse_procfile(std::string_view text, const std::filesystem::path& file, const EnvMap& dotenv);

}  // namespace pp::stack
