#include "cli/argv_rewrite.hpp"

namespace pp::cli {

bool is_subcommand(const std::string& w) {
  for (const char* s : {"serve", "run", "start", "stop", "restart", "ctrl", "list", "ls", "output", "input", "shutdown"})
    if (w == s) return true;
  return false;
}

std::vector<std::string> rewrite_argv(std::vector<std::string> args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {  // `persistproc -- ls -v`: what follows is a program
      args.insert(args.begin() + static_cast<long>(i), "run");
      return args;
    }
    if (a == "-h" || a == "--help") return args;
    if (!a.empty() && a[0] == '-') {
      if (a == "--port" || a == "--data-dir" || a == "--format") ++i;  // skip the option's value
      continue;
    }
    if (!is_subcommand(a)) args.insert(args.begin() + static_cast<long>(i), "run");
    return args;
  }
  args.push_back("serve");  // only global options (or none)
  return args;
}

}  // namespace pp::cli
