// One function per subcommand, each running it once parsed and returning the exit
// code (docs/cli.md#exit-codes). define_command_line() gives each subcommand its
// function; these only read what parsing bound in the CommandLine.
#pragma once
#include "cli/command_line.hpp"

namespace pp::cli {

int serve_subcommand(CommandLine& cl, const Invocation& inv);
int run_subcommand(CommandLine& cl, const Invocation& inv);
// start, stop, restart, list and output: one MCP tool call each.
int tool_subcommand(CommandLine& cl, const Invocation& inv);
int ctrl_subcommand(CommandLine& cl, const Invocation& inv);
int shutdown_subcommand(CommandLine& cl, const Invocation& inv);
// The stdio bridge (client/stdio_bridge.hpp); with --start, a server first.
int mcp_subcommand(CommandLine& cl, const Invocation& inv);
int version_subcommand(CommandLine& cl, const Invocation& inv);
int completions_subcommand(CommandLine& cl, const Invocation& inv);

}  // namespace pp::cli
