// The implicit subcommands (docs/cli.md#implicit-subcommands): bare `persistproc [global options]` is `serve`,
// and a first word that is not a subcommand means `run` (`persistproc npm run dev`).
#pragma once
#include <string>
#include <vector>

namespace pp::cli {

// `args` excludes argv[0]. Returns the arguments with "serve" or "run" inserted.
std::vector<std::string> rewrite_argv(std::vector<std::string> args);

bool is_subcommand(const std::string& word);

}  // namespace pp::cli
