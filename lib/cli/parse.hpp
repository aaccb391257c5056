// Parses the command line against its definition: the implicit subcommand goes in,
// a `--` that ends persistproc's options is split off, and CLI11 parses the rest.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/command_line.hpp"

namespace pp::cli {

struct Parsed {
  // Set when parsing decided the outcome: --help (kExitOk) or a usage error
  // (kExitUsage), with CLI11's message already printed.
  std::optional<int> exit_code;
  Invocation invocation;
};

// `args` exclude argv[0]. Fills the structs bound in `cl`.
Parsed parse_command_line(CommandLine& cl, std::vector<std::string> args);

}  // namespace pp::cli
