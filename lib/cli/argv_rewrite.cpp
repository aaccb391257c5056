#include "cli/argv_rewrite.hpp"

namespace pp::cli {

namespace {

// Options of subcommands that take a value: needed to find where a `--` ends
// persistproc's own options (before the first positional word only).
bool takes_value(const std::string& a) {
  for (const char* o : {"--port", "--data-dir", "--format", "--working-directory", "--working_directory",
                        "--environment", "--label", "--pid", "--command-or-label", "--command_or_label", "--stream",
                        "--lines", "--since-time", "--since_time", "--before-time", "--before_time", "--on-exit",
                        "--on_exit", "--max-log-size", "--max_log_size", "--log-retention", "--log_retention"})
    if (a == o) return true;
  return false;
}

}  // namespace

bool is_subcommand(const std::string& w) {
  for (const char* s : {"serve", "run", "start", "stop", "restart", "ctrl", "list", "ls", "output", "shutdown"})
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

std::vector<std::string> split_dashdash(std::vector<std::string>& args) {
  bool seen_sub = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      std::vector<std::string> tail(args.begin() + static_cast<long>(i) + 1, args.end());
      args.resize(i);
      return tail;
    }
    if (!a.empty() && a[0] == '-') {
      if (takes_value(a)) ++i;
      continue;
    }
    if (seen_sub) break;  // first positional of the subcommand: the rest is the program's
    seen_sub = true;
  }
  return {};
}

}  // namespace pp::cli
