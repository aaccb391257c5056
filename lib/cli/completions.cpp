#include "cli/completions.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>

namespace pp::cli {

namespace {

// What an option or a subcommand's words complete to, read off the definition.
struct OptionSpec {
  std::vector<std::string> names;  // "--stream", "-f"
  std::string help;
  bool takes_value = false;
  std::vector<std::string> choices;  // from an IsMember check: its "{a,b,c}" in the type name
  bool directory = false;
};

enum class Words { none, target, program, ctrl };

struct SubSpec {
  std::vector<std::string> names;  // the name, then its aliases
  std::string help;
  std::vector<OptionSpec> options;
  Words words = Words::none;
  std::vector<std::string> word_choices;  // a positional's choices (`completions bash|zsh|fish`)
};

// The actions `ctrl` takes before its TARGET (cli/tool_commands.cpp checks them).
const std::vector<std::string> kCtrlActions = {"start", "stop", "restart", "input"};

std::vector<std::string> choices_of(const CLI::Option& o) {
  std::string type = o.get_type_name();
  auto open = type.find('{'), close = type.rfind('}');
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string set = type.substr(open + 1, close - open - 1);
  for (std::size_t start = 0;;) {
    std::size_t comma = set.find(',', start);
    out.push_back(set.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<OptionSpec> options_of(const CLI::App& app) {
  std::vector<OptionSpec> out;
  for (const CLI::Option* o : app.get_options()) {
    OptionSpec s;
    for (const auto& l : o->get_lnames()) s.names.push_back("--" + l);
    for (const auto& sn : o->get_snames()) s.names.push_back("-" + sn);
    if (s.names.empty()) continue;  // a positional
    s.help = o->get_description();
    s.takes_value = o->get_items_expected_max() > 0;
    if (s.takes_value) s.choices = choices_of(*o);
    s.directory = std::any_of(s.names.begin(), s.names.end(),
                              [](const std::string& n) { return n.ends_with("dir") || n.ends_with("directory"); });
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<SubSpec> subcommands_of(const CLI::App& app) {
  std::vector<SubSpec> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); })) {
    SubSpec s;
    s.names.push_back(sub->get_name());
    for (const auto& a : sub->get_aliases()) s.names.push_back(a);
    s.help = sub->get_description();
    s.options = options_of(*sub);
    for (const CLI::Option* o : sub->get_options())
      if (o->get_lnames().empty() && o->get_snames().empty()) s.word_choices = choices_of(*o);  // a positional
    if (sub->get_name() == "ctrl")
      s.words = Words::ctrl;
    else if (sub->get_prefix_command())
      s.words = sub->get_description().find("TARGET") != std::string::npos ? Words::target : Words::program;
    out.push_back(std::move(s));
  }
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep = " ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// A description as one line in single quotes, for any of the three shells.
std::string quoted(std::string s) {
  if (auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Every option that takes a value, once per name, whatever the subcommand: the same
// name takes the same kind of value everywhere.
std::vector<OptionSpec> value_options(const CLI::App& app, const std::vector<SubSpec>& subs) {
  std::vector<OptionSpec> all = options_of(app);
  for (const auto& s : subs) all.insert(all.end(), s.options.begin(), s.options.end());
  std::vector<OptionSpec> out;
  for (auto& o : all)
    if (o.takes_value && std::none_of(out.begin(), out.end(), [&](const OptionSpec& seen) { return seen.names == o.names; }))
      out.push_back(o);
  return out;
}

std::vector<std::string> names_of(const std::vector<OptionSpec>& options) {
  std::vector<std::string> out;
  for (const auto& o : options) out.insert(out.end(), o.names.begin(), o.names.end());
  return out;
}

// Labels and pids, one a line and each once, from the server's list (a label with a
// '"' or '\\' is left out: no JSON parser is at hand in every shell).
constexpr const char* kTargetsPipeline =
    "command persistproc list --format json 2>/dev/null | grep -o '\"pid\":[0-9]*\\|\"label\":\"[^\"\\\\]*\"' | "
    "sed -e 's/^\"pid\"://' -e 's/^\"label\":\"//' -e 's/\"$//' | awk '!seen[$0]++'";

// The arms of a `case` on the word before the cursor (bash and zsh syntax alike):
// an option's choices, directories, or nothing (a free value: no completion).
template <class OfferChoices>
std::string value_arms(const std::vector<OptionSpec>& values, OfferChoices offer_choices, const std::string& offer_dirs) {
  std::string s;
  for (const auto& o : values) {
    s += "    " + join(o.names, "|") + ") ";
    if (!o.choices.empty())
      s += offer_choices(join(o.choices));
    else if (o.directory)
      s += offer_dirs;
    else
      s += ":";
    s += "; return 0;;\n";
  }
  return s;
}

std::string bash_script(const CLI::App& app) {
  auto subs = subcommands_of(app);
  auto values = value_options(app, subs);
  std::vector<std::string> sub_names;
  for (const auto& s : subs) sub_names.insert(sub_names.end(), s.names.begin(), s.names.end());
  std::string s = "# bash completion for persistproc (generated by `persistproc completions bash`)\n";
  s += "_persistproc_targets() {\n  " + std::string(kTargetsPipeline) + "\n}\n\n";
  s += "_persistproc() {\n";
  s += "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} sub= i=1 words=0\n";
  s += "  COMPREPLY=()\n";
  s += "  while (( i < COMP_CWORD )); do\n    case ${COMP_WORDS[i]} in\n";
  s += "      " + join(names_of(values), "|") + ") (( i += 2 ));;\n";
  s += "      -*) (( i++ ));;\n";
  s += "      *) if [[ -z $sub ]]; then sub=${COMP_WORDS[i]}; else (( words++ )); fi; (( i++ ));;\n";
  s += "    esac\n  done\n";
  // The loop stepped over the word being completed: it is the value of `prev`.
  s += "  if (( i > COMP_CWORD )); then case $prev in\n";
  s += value_arms(
      values, [](const std::string& choices) { return "COMPREPLY=($(compgen -W " + quoted(choices) + " -- \"$cur\"))"; },
      "COMPREPLY=($(compgen -d -- \"$cur\"))");
  s += "  esac; fi\n";
  s += "  local opts\n  case $sub in\n";
  s += "    '') opts=" + quoted(join(names_of(options_of(app)))) +
       "\n        if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"));"
       " else COMPREPLY=($(compgen -W " + quoted(join(sub_names)) + " -- \"$cur\")); fi\n        return 0;;\n";
  for (const auto& sub : subs) {
    s += "    " + join(sub.names, "|") + ") opts=" + quoted(join(names_of(sub.options))) + "\n";
    s += "        if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); return 0; fi\n";
    switch (sub.words) {
      case Words::none:
        if (!sub.word_choices.empty())
          s += "        (( words == 0 )) && COMPREPLY=($(compgen -W " + quoted(join(sub.word_choices)) + " -- \"$cur\"))\n";
        break;
      case Words::program:
        s += "        (( words == 0 )) && COMPREPLY=($(compgen -c -- \"$cur\")) || COMPREPLY=($(compgen -f -- \"$cur\"))\n";
        break;
      case Words::ctrl:
        s += "        if (( words == 0 )); then COMPREPLY=($(compgen -W " + quoted(join(kCtrlActions)) +
             " -- \"$cur\")); return 0; fi\n";
        [[fallthrough]];
      case Words::target:
        s += "        local IFS=$'\\n'\n";
        s += "        COMPREPLY=($(compgen -W \"$(_persistproc_targets)\" -- \"$cur\"))\n";
        s += "        local k; for k in \"${!COMPREPLY[@]}\"; do COMPREPLY[k]=$(printf '%q' \"${COMPREPLY[k]}\"); done\n";
        break;
    }
    s += "        return 0;;\n";
  }
  s += "  esac\n}\ncomplete -F _persistproc persistproc\n";
  return s;
}

// The same shape as bash's, in zsh's words: `words` (1-based), CURRENT, compadd.
// Autoloaded from $fpath the file is the function's body; sourced, it registers it.
std::string zsh_script(const CLI::App& app) {
  auto subs = subcommands_of(app);
  auto values = value_options(app, subs);
  std::vector<std::string> sub_names;
  for (const auto& s : subs) sub_names.insert(sub_names.end(), s.names.begin(), s.names.end());
  std::string s = "#compdef persistproc\n# zsh completion for persistproc (generated by `persistproc completions zsh`)\n";
  s += "_persistproc_targets() {\n  " + std::string(kTargetsPipeline) + "\n}\n\n";
  s += "_persistproc() {\n";
  s += "  local cur=${words[CURRENT]} prev=${words[CURRENT-1]} sub= i=2 n=0\n";
  s += "  while (( i < CURRENT )); do\n    case ${words[i]} in\n";
  s += "      " + join(names_of(values), "|") + ") (( i += 2 ));;\n";
  s += "      -*) (( i++ ));;\n";
  s += "      *) if [[ -z $sub ]]; then sub=${words[i]}; else (( n++ )); fi; (( i++ ));;\n";
  s += "    esac\n  done\n";
  s += "  if (( i > CURRENT )); then case $prev in\n";
  s += value_arms(values, [](const std::string& choices) { return "compadd -- " + choices; }, "_files -/");
  s += "  esac; fi\n";
  s += "  case $sub in\n";
  s += "    '') if [[ $cur == -* ]]; then compadd -- " + join(names_of(options_of(app))) + "; else compadd -- " +
       join(sub_names) + "; fi\n        return 0;;\n";
  for (const auto& sub : subs) {
    s += "    " + join(sub.names, "|") + ")\n";
    s += "        if [[ $cur == -* ]]; then compadd -- " + join(names_of(sub.options)) + "; return 0; fi\n";
    switch (sub.words) {
      case Words::none:
        if (!sub.word_choices.empty()) s += "        (( n == 0 )) && compadd -- " + join(sub.word_choices) + "\n";
        break;
      case Words::program:
        s += "        if (( n == 0 )); then _command_names -e; else _files; fi\n";
        break;
      case Words::ctrl:
        s += "        if (( n == 0 )); then compadd -- " + join(kCtrlActions) + "; return 0; fi\n";
        [[fallthrough]];
      case Words::target:
        s += "        local -a targets; targets=(\"${(@f)$(_persistproc_targets)}\")\n";
        s += "        compadd -- \"${targets[@]}\"\n";
        break;
    }
    s += "        return 0;;\n";
  }
  s += "  esac\n}\n\n";
  s += "if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then\n  _persistproc \"$@\"\nelse\n"
       "  compdef _persistproc persistproc\nfi\n";
  return s;
}

// One `complete` line per subcommand, option and kind of words.
std::string fish_script(const CLI::App& app) {
  auto subs = subcommands_of(app);
  std::string s = "# fish completion for persistproc (generated by `persistproc completions fish`)\n";
  s += "function __persistproc_targets\n    " + std::string(kTargetsPipeline) + "\nend\n\n";
  s += "complete -c persistproc -f\n";
  auto option_line = [](const std::string& condition, const OptionSpec& o) {
    std::string line = "complete -c persistproc -n " + quoted(condition);
    for (const auto& n : o.names) line += n.starts_with("--") ? " -l " + n.substr(2) : " -s " + n.substr(1);
    if (o.takes_value) {
      line += " -x";
      if (!o.choices.empty()) line += " -a " + quoted(join(o.choices));
      if (o.directory) line += " -a '(__fish_complete_directories)'";
    }
    return line + " -d " + quoted(o.help) + "\n";
  };
  for (const auto& o : options_of(app)) s += option_line("__fish_use_subcommand", o);
  for (const auto& sub : subs)
    for (const auto& n : sub.names)
      s += "complete -c persistproc -n __fish_use_subcommand -a " + n + " -d " + quoted(sub.help) + "\n";
  std::vector<std::string> targets, programs;
  for (const auto& sub : subs) {
    std::string seen = "__fish_seen_subcommand_from " + join(sub.names);
    for (const auto& o : sub.options) s += option_line(seen, o);
    if (!sub.word_choices.empty())
      s += "complete -c persistproc -n " + quoted(seen) + " -a " + quoted(join(sub.word_choices)) + "\n";
    auto& into = sub.words == Words::program ? programs : targets;
    if (sub.words != Words::none) into.insert(into.end(), sub.names.begin(), sub.names.end());
  }
  s += "complete -c persistproc -n " + quoted("__fish_seen_subcommand_from ctrl; and not __fish_seen_subcommand_from " +
                                              join(kCtrlActions)) +
       " -a " + quoted(join(kCtrlActions)) + "\n";
  s += "complete -c persistproc -n " + quoted("__fish_seen_subcommand_from " + join(targets)) +
       " -a '(__persistproc_targets)'\n";
  s += "complete -c persistproc -n " + quoted("__fish_seen_subcommand_from " + join(programs)) +
       " -a '(__fish_complete_command)'\n";
  return s;
}

}  // namespace

std::string completion_script(const CLI::App& app, const std::string& shell) {
  if (shell == "bash") return bash_script(app);
  if (shell == "zsh") return zsh_script(app);
  if (shell == "fish") return fish_script(app);
  return "";
}

}  // namespace pp::cli
