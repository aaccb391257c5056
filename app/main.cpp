// persistproc entry point: everything lives in lib/, this only hands argv over.
#include "cli/entry.hpp"

int main(int argc, char** argv) { return pp::cli::run_main(argc, argv); }
