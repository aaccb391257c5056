// Where persistproc's own options end (docs/cli.md#implicit-subcommands and
// #arguments), asked of the CLI11 definition, so an option or subcommand added
// there is known here too. `args` exclude argv[0].
#pragma once
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pp::cli {

// The subcommand of `app` that `word` names (`ls` names `list`), or nullptr.
const CLI::App* find_subcommand(const CLI::App& app, const std::string& word);

// Whether `word` is an option of `scope` that takes the next word as its value
// (`--port 80`); not a flag, `--port=80`, or an option `scope` does not have.
bool takes_value(const CLI::App& scope, const std::string& word);

// Inserts the implicit subcommand: `serve` when there are only global options (or
// none), `run` when a `--` comes first or the first word that is not an option is
// not a subcommand (`persistproc npm run dev`).
std::vector<std::string> rewrite_argv(const CLI::App& app, std::vector<std::string> args);

// After rewrite_argv: removes a `--` that comes before the subcommand's first
// word that is not an option, and returns what followed it. (CLI11 would end the
// subcommand's own parsing at that `--`, not hand it what follows.)
std::vector<std::string> split_dashdash(const CLI::App& app, std::vector<std::string>& args);

}  // namespace pp::cli
