#include "cli/argv_rewrite.hpp"

#include <CLI/CLI.hpp>

namespace pp::cli {

namespace {

// A word that starts with `-` is an option (or an unknown one): it never names a
// subcommand, a program or a target.
bool is_option(const std::string& word) { return !word.empty() && word[0] == '-'; }

}  // namespace

const CLI::App* find_subcommand(const CLI::App& app, const std::string& word) {
  // An empty name is an option group, not a subcommand.
  auto found =
      app.get_subcommands([&word](const CLI::App* sub) { return !sub->get_name().empty() && sub->check_name(word); });
  return found.empty() ? nullptr : found.front();
}

bool takes_value(const CLI::App& scope, const std::string& word) {
  if (!is_option(word)) return false;
  const CLI::Option* option = scope.get_option_no_throw(word);
  return option && option->get_items_expected_max() > 0;
}

std::vector<std::string> rewrite_argv(const CLI::App& app, std::vector<std::string> args) {
  const CLI::Option* help = app.get_help_ptr();
  const CLI::Option* version = app.get_version_ptr();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {  // `persistproc -- ls -v`: what follows is a program
      args.insert(args.begin() + static_cast<long>(i), "run");
      return args;
    }
    if (help && help->check_name(a)) return args;  // CLI11 shows the top-level help
    if (version && version->check_name(a)) return args;  // and the version
    if (is_option(a)) {
      if (takes_value(app, a)) ++i;
      continue;
    }
    if (!find_subcommand(app, a)) args.insert(args.begin() + static_cast<long>(i), "run");
    return args;
  }
  args.push_back("serve");  // only global options (or none)
  return args;
}

std::vector<std::string> split_dashdash(const CLI::App& app, std::vector<std::string>& args) {
  const CLI::App* scope = &app;  // whose options the words are: the app's, then the subcommand's
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      std::vector<std::string> tail(args.begin() + static_cast<long>(i) + 1, args.end());
      args.resize(i);
      return tail;
    }
    if (is_option(a)) {
      if (takes_value(*scope, a)) ++i;
      continue;
    }
    if (scope != &app) break;  // the subcommand's first word that is not an option: the rest is its
    scope = find_subcommand(app, a);
    if (!scope) break;  // no subcommand (`persistproc --help npm`): CLI11 decides
  }
  return {};
}

}  // namespace pp::cli
