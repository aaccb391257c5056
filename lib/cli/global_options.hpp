// Options every subcommand accepts, before or after its name (docs/cli.md#global-options).
#pragma once
#include <string>

namespace CLI {
class App;
}

namespace pp::cli {

struct GlobalOptions {
  int port = 8947;
  std::string data_dir;
  int verbose = 0;
  bool quiet = false;
  std::string format = "text";
};

// Declares the global options on `app`, bound to `g`. They are declared on the
// top-level app and again on every subcommand, bound to the same variables, so
// they work before or after the subcommand's name.
void add_global_options(CLI::App& app, GlobalOptions& g);

// $XDG_DATA_HOME/persistproc, else ~/.local/share/persistproc.
std::string default_data_dir();

}  // namespace pp::cli
