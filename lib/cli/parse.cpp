#include "cli/parse.hpp"

#include <algorithm>

#include "cli/argv_rewrite.hpp"
#include "core/exit_codes.hpp"

namespace pp::cli {

Parsed parse_command_line(CommandLine& cl, std::vector<std::string> args) {
  args = rewrite_argv(cl.app, std::move(args));
  Parsed p;
  p.invocation.after_dashdash = split_dashdash(cl.app, args);
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector back to front
  try {
    cl.app.parse(args);
  } catch (const CLI::ParseError& e) {
    p.exit_code = cl.app.exit(e) == 0 ? kExitOk : kExitUsage;
    return p;
  }
  std::vector<CLI::App*> chosen = cl.app.get_subcommands();
  if (chosen.empty()) {
    p.exit_code = kExitUsage;
    return p;
  }
  p.invocation.subcommand = chosen.front();
  p.invocation.words = chosen.front()->remaining();
  return p;
}

}  // namespace pp::cli
