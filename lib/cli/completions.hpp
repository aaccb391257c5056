// `persistproc completions bash|zsh|fish`: a completion script for the shell,
// generated from the CLI11 definition (cli/command_line.hpp), so a subcommand,
// option or choice added there is completed without more work (docs/cli.md#completions).
// A TARGET is completed with the labels and pids of the server's processes, asked
// of `persistproc list --format json` when completing (nothing when no server runs).
#pragma once
#include <string>

namespace CLI {
class App;
}

namespace pp::cli {

// The script for `shell` (bash, zsh or fish), or "" for another shell.
std::string completion_script(const CLI::App& app, const std::string& shell);

}  // namespace pp::cli
