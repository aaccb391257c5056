// Where persistproc's own options end (docs/cli.md#implicit-subcommands and
// #arguments). `args` exclude argv[0].
#pragma once
#include <string>
#include <vector>

namespace pp::cli {

// Returns the arguments with "serve" or "run" inserted: `serve` when there are
// only global options (or none), `run` when the first word that is not an option
// is not a subcommand (`persistproc npm run dev`).
std::vector<std::string> rewrite_argv(std::vector<std::string> args);

bool is_subcommand(const std::string& word);

// After rewrite_argv: removes a `--` that comes before the subcommand's first
// word that is not an option, and returns what followed it.
std::vector<std::string> split_dashdash(std::vector<std::string>& args);

}  // namespace pp::cli
