// persistproc's command line as CLI11 defines it (docs/cli.md), built once. The
// rest of lib/cli asks this definition instead of keeping lists of its own: the
// implicit subcommand and where `--` ends persistproc's options (argv_rewrite),
// and which function runs the chosen subcommand (the Runner given with it).
#pragma once
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/global_options.hpp"
#include "cli/tool_commands.hpp"
#include "client/run_command.hpp"

namespace pp::cli {

struct ServeArgs {
  bool detach = false, restore = false, no_auth = false;
  std::string max_log_size = "64M", log_retention = "7d";  // checked while parsing
};

struct McpArgs {
  bool start = false;  // --start: serve --detach first when no server answers
};

struct RunArgs {
  client::RunOptions options;  // fresh and raw; the rest is filled in when it runs
  std::string on_exit = "ask";
  std::string label;
  bool tty = false, no_tty = false;
};

// The chosen subcommand and the words CLI11 did not take as options.
struct Invocation {
  const CLI::App* subcommand = nullptr;
  std::vector<std::string> words;           // from the first word that is not an option on
  std::vector<std::string> after_dashdash;  // what followed a `--` that ended persistproc's options
};

struct CommandLine;
using Runner = int (*)(CommandLine&, const Invocation&);  // returns the exit code

struct CommandLine {
  CLI::App app{
      "persistproc: share long-running processes (dev servers, watchers, databases) with your coding "
      "agents over MCP.",
      "persistproc"};
  GlobalOptions global;
  ServeArgs serve;
  RunArgs run;
  McpArgs mcp;
  std::string completions_shell;  // completions bash|zsh|fish
  ToolRequest tool;                                         // start, stop, restart, ctrl, list, output
  std::vector<std::pair<const CLI::App*, Runner>> runners;  // one per subcommand

  Runner runner_for(const CLI::App* subcommand) const;
};

// "persistproc X.Y.Z": what --version and `version` print.
std::string version_line();

// The whole definition, with the defaults the environment gives. The structs the
// options are bound to live beside the App, so it is allocated once and never moves.
std::unique_ptr<CommandLine> define_command_line();

}  // namespace pp::cli
