// Options every subcommand accepts, with their environment variables (docs/cli.md#global-options).
#pragma once
#include <string>

namespace pp::cli {

struct GlobalOptions {
  int port = 8947;
  std::string data_dir;
  int verbose = 0;
  bool quiet = false;
  std::string format = "text";
};

// $XDG_DATA_HOME/persistproc, else ~/.local/share/persistproc.
std::string default_data_dir();

}  // namespace pp::cli
