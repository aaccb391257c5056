// The command line: parses argv (CLI11) and runs the chosen subcommand.
#pragma once

namespace pp::cli {

int run_main(int argc, char** argv);

}  // namespace pp::cli
