// The argv rewriting asks the CLI11 definition, so it cannot drift from it: the
// subcommands it knows are CLI11's, and whether an option takes the next word as
// its value is what CLI11's own parsing does with that word, for every option of
// every subcommand (an option added without telling the rewriting once made a
// `--` after it a usage error: `output --grep ERROR -- 12345`).
#include "cli/command_line.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cli/argv_rewrite.hpp"
#include "cli/parse.hpp"

namespace pp::cli {
namespace {

using Words = std::vector<std::string>;

// A value each option accepts; options missing here get "x", which an option
// with a check may refuse: then add it here.
std::string valid_value(const CLI::Option& o) {
  static const std::map<std::string, std::string> values = {{"--port", "8947"},
                                                            {"--format", "json"},
                                                            {"--on-exit", "stop"},
                                                            {"--max-log-size", "1M"},
                                                            {"--log-retention", "1d"},
                                                            {"--wait-timeout", "5"},
                                                            {"--lines", "10"},
                                                            {"--stream", "stdout"},
                                                            {"--pid", "1"},
                                                            {"--since-time", "2025-07-06T14:30:00Z"},
                                                            {"--before-time", "2025-07-06T14:30:00Z"},
                                                            {"--columns", "120"},
                                                            {"--rows", "40"},
                                                            {"--restart", "on-failure"},
                                                            {"--max-restarts", "3"},
                                                            {"--backoff", "0.5"}};
  auto it = values.find(o.get_name());
  return it == values.end() ? "x" : it->second;
}

// Every spelling of option `o` of `scope`: none for --help and --version, which end parsing.
Words spellings(const CLI::App& scope, const CLI::Option& o) {
  Words names;
  if (&o == scope.get_help_ptr() || &o == scope.get_version_ptr()) return names;
  for (const auto& l : o.get_lnames()) names.push_back("--" + l);
  for (const auto& s : o.get_snames()) names.push_back("-" + s);
  return names;
}

TEST(CommandLine, TheSubcommandsAreCli11sAndTheDocumentedOnes) {
  auto cl = define_command_line();
  std::set<std::string> names;
  for (const CLI::App* sub : cl->app.get_subcommands(nullptr)) {
    names.insert(sub->get_name());
    for (const auto& alias : sub->get_aliases()) names.insert(alias);
    EXPECT_NE(cl->runner_for(sub), nullptr) << sub->get_name() << " has no function to run it";
  }
  // docs/cli.md#implicit-subcommands lists them; any other first word is a program.
  EXPECT_EQ(names, (std::set<std::string>{"serve", "run", "start", "stop", "restart", "ctrl", "list", "ls", "output",
                                          "logs", "input", "shutdown", "mcp", "version", "completions"}));
  for (const auto& name : names) {
    EXPECT_NE(find_subcommand(cl->app, name), nullptr) << name;
    EXPECT_EQ(rewrite_argv(cl->app, {name, "x"}), (Words{name, "x"})) << name;
  }
  EXPECT_EQ(rewrite_argv(cl->app, {"--port", "80", "npm", "run"}), (Words{"--port", "80", "run", "npm", "run"}));
  EXPECT_EQ(rewrite_argv(cl->app, {"-q"}), (Words{"-q", "serve"}));
  EXPECT_EQ(rewrite_argv(cl->app, {"--", "ls", "-v"}), (Words{"run", "--", "ls", "-v"}));
}

// CLI11 decides whether `OPTION WORD` gives WORD to the option; the rewriting must agree.
TEST(CommandLine, EveryOptionTakesAValueExactlyWhenCli11GivesItTheNextWord) {
  auto probe = define_command_line();
  int checked = 0;
  for (const CLI::App* sub : probe->app.get_subcommands(nullptr))
    for (const CLI::Option* o : sub->get_options())
      for (const std::string& spelling : spellings(*sub, *o)) {
        auto cl = define_command_line();
        Parsed p = parse_command_line(*cl, {sub->get_name(), spelling, valid_value(*o)});
        const CLI::App& parsed_sub = *find_subcommand(cl->app, sub->get_name());
        bool consumed = !p.exit_code && p.invocation.words.empty();
        EXPECT_EQ(takes_value(parsed_sub, spelling), consumed) << sub->get_name() << " " << spelling;
        EXPECT_EQ(parsed_sub.get_option(spelling)->count(), 1u) << sub->get_name() << " " << spelling;
        ++checked;
      }
  EXPECT_GT(checked, 50);
}

// `SUBCOMMAND OPTION [VALUE] -- -TARGET`: the `--` ends persistproc's options after
// any option, so -TARGET is the program or target, not an unknown option.
TEST(CommandLine, DashDashAfterEveryOptionOfEverySubcommandStartsTheTarget) {
  auto probe = define_command_line();
  int checked = 0;
  for (const CLI::App* sub : probe->app.get_subcommands([](const CLI::App* s) { return s->get_prefix_command(); }))
    for (const CLI::Option* o : sub->get_options())
      for (const std::string& spelling : spellings(*sub, *o)) {
        Words args{sub->get_name(), spelling};
        if (o->get_items_expected_max() > 0) args.push_back(valid_value(*o));
        args.insert(args.end(), {"--", "-target", "--port"});
        auto cl = define_command_line();
        Parsed p = parse_command_line(*cl, args);
        ASSERT_FALSE(p.exit_code) << testing::PrintToString(args);
        EXPECT_EQ(p.invocation.subcommand->get_name(), sub->get_name());
        EXPECT_EQ(p.invocation.words, Words{}) << testing::PrintToString(args);
        EXPECT_EQ(p.invocation.after_dashdash, (Words{"-target", "--port"})) << testing::PrintToString(args);
        ++checked;
      }
  EXPECT_GT(checked, 40);
}

// The same before the subcommand, where `--` implies `run`: `persistproc --port 80 -- -prog`.
TEST(CommandLine, DashDashAfterEveryGlobalOptionRunsWhatFollows) {
  auto probe = define_command_line();
  for (const CLI::Option* o : probe->app.get_options())
    for (const std::string& spelling : spellings(probe->app, *o)) {
      Words args{spelling};
      if (o->get_items_expected_max() > 0) args.push_back(valid_value(*o));
      args.insert(args.end(), {"--", "-prog"});
      auto cl = define_command_line();
      Parsed p = parse_command_line(*cl, args);
      ASSERT_FALSE(p.exit_code) << testing::PrintToString(args);
      EXPECT_EQ(p.invocation.subcommand->get_name(), "run");
      EXPECT_EQ(p.invocation.after_dashdash, (Words{"-prog"})) << testing::PrintToString(args);
    }
}

TEST(CommandLine, WordsAfterTheTargetAreItsOwn) {
  auto cl = define_command_line();
  Parsed p = parse_command_line(*cl, {"start", "--label", "web", "./tool", "--port", "3000", "--", "x"});
  ASSERT_FALSE(p.exit_code);
  EXPECT_EQ(p.invocation.words, (Words{"./tool", "--port", "3000", "--", "x"}));
  EXPECT_EQ(p.invocation.after_dashdash, Words{});
  EXPECT_EQ(cl->tool.label, "web");
}

}  // namespace
}  // namespace pp::cli
