#include "cli/entry.hpp"

#include <cstdio>

#include "cli/command_line.hpp"
#include "cli/parse.hpp"
#include "core/env.hpp"
#include "core/exit_codes.hpp"

namespace pp::cli {

int run_main(int argc, char** argv) {
  // Every PERSISTPROC_* value is checked first, whatever the subcommand and whether a flag overrides it.
  if (std::string err = env::check_all(); !err.empty()) {
    std::fprintf(stderr, "persistproc: %s\n", err.c_str());
    return kExitUsage;
  }
  std::unique_ptr<CommandLine> cl = define_command_line();
  Parsed parsed = parse_command_line(*cl, std::vector<std::string>(argv + 1, argv + argc));
  if (parsed.exit_code) return *parsed.exit_code;
  return cl->runner_for(parsed.invocation.subcommand)(*cl, parsed.invocation);
}

}  // namespace pp::cli
