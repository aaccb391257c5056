#include "helper_only.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <vector>

#include "core/shell_words.hpp"

namespace pp::fuzz {

namespace json = boost::json;

namespace {

// Actions without a number, and those whose number is capped (a grandchild or a
// line costs time; a sleep is a slow writer, not a hang).
bool allowed(const std::string& word) {
  auto colon = word.find(':');
  std::string name = word.substr(0, colon);
  for (const char* plain : {"out", "err", "partial", "ignore-term", "term-exit", "ready", "exit", "kill-self", "pause",
                            "close-stdin", "copy-stdin", "env", "pwd", "usr1", "int"})
    if (name == plain) return true;
  struct Capped {
    const char* name;
    unsigned max;
  };
  for (auto [capped, max] : {Capped{"lines", 1000}, Capped{"errlines", 1000}, Capped{"fork", 3},
                             Capped{"fork-stubborn", 2}, Capped{"sleep", 100}})
    if (name == capped) {
      if (colon == std::string::npos) return false;
      unsigned n = 0;
      const char* first = word.data() + colon + 1;
      const char* last = word.data() + word.size();
      auto [end, ec] = std::from_chars(first, last, n);
      return ec == std::errc() && end == last && n <= max;
    }
  return false;
}

std::string helper_command(const std::string& command, const std::string& helper) {
  auto split = shell_split(command);
  if (!split.error.empty() || split.words.empty()) return command;  // the server says why it cannot start
  std::vector<std::string> argv{helper};
  for (const auto& w : split.words)
    if (allowed(w)) argv.push_back(w);
  return shell_join(argv);
}

bool over_a_second(const json::value& v) {
  return (v.is_double() && v.as_double() > 1) || (v.is_int64() && v.as_int64() > 1) || v.is_uint64();
}

void confine(json::value& message, const std::string& helper, const std::string& dir) {
  auto* o = message.if_object();
  auto* method = o ? o->if_contains("method") : nullptr;
  if (!method || !method->is_string() || method->as_string() != "tools/call") return;
  auto* params = o->if_contains("params");
  auto* args = params && params->is_object() ? params->as_object().if_contains("arguments") : nullptr;
  if (!args || !args->is_object()) return;
  auto& a = args->as_object();
  auto* action = a.if_contains("action");
  auto* command = a.if_contains("command_or_label");
  if (action && action->is_string() && action->as_string() == "start" && command && command->is_string()) {
    *command = helper_command(std::string(command->as_string()), helper);
    a["working_directory"] = dir;
  }
  // A stack file could name any command: up and down only ever see `dir`, which
  // holds none (the argument checks and the file's absence are still fuzzed).
  if (auto* file = a.if_contains("file"); file && file->is_string()) *file = dir;
  if (auto* t = a.if_contains("wait_timeout")) {
    if (over_a_second(*t)) *t = 1.0;
  } else if (a.contains("wait_for")) {
    a["wait_timeout"] = 1.0;
  }
}

}  // namespace

std::string helper_only(std::string_view body, const std::string& helper, const std::string& dir) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return std::string(body);
  if (auto* batch = v.if_array())
    for (auto& m : *batch) confine(m, helper, dir);
  else
    confine(v, helper, dir);
  return json::serialize(v);
}

}  // namespace pp::fuzz
