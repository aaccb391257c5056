#include "cli/tool_commands.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>

#include "cli/format_text.hpp"
#include "cli/list_table.hpp"
#include "client/call.hpp"
#include "client/follow_command.hpp"
#include "core/dir_path.hpp"
#include "core/exit_codes.hpp"
#include "core/shell_words.hpp"
#include "core/timestamp.hpp"
#include "core/token.hpp"

namespace pp::cli {

namespace json = boost::json;

namespace {

struct UsageError {
  std::string message;
};

// TARGET [ARGS...]: one integer is a pid; one word is sent as is (a label, or a
// command line the server splits); several are joined with shell quoting.
void add_target(json::object& args, std::vector<std::string> words, const std::string& what) {
  if (words.empty()) throw UsageError{what + " needs a TARGET (a pid, a label or a command)"};
  if (words.size() == 1 && !words[0].empty() && words[0].size() <= 9 &&
      words[0].find_first_not_of("0123456789") == std::string::npos) {
    args["pid"] = std::stoi(words[0]);
    return;
  }
  args["command_or_label"] = words.size() == 1 ? words[0] : shell_join(words);
}

json::object parse_environment(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) throw UsageError{"--environment must be a JSON object of strings, got: " + text};
  for (const auto& [k, val] : v.as_object())
    if (!val.is_string()) throw UsageError{"--environment value of '" + std::string(k) + "' must be a string"};
  return v.as_object();
}

void check_time(const std::string& flag, const std::string& value) {
  if (!value.empty() && !parse_iso(value))
    throw UsageError{flag + " '" + value + "' is not an ISO-8601 time (e.g. 2025-07-06T14:30:00Z)"};
}

std::vector<std::string> without_dashdash(std::vector<std::string> w) {
  if (!w.empty() && w[0] == "--") w.erase(w.begin());
  return w;
}

void add_wait(json::object& args, const ToolRequest& r) {
  if (r.wait_timeout && r.wait_for.empty()) throw UsageError{"--wait-timeout needs --wait-for"};
  if (r.wait_for.empty()) return;
  args["wait_for"] = r.wait_for;
  if (r.wait_timeout) args["wait_timeout"] = *r.wait_timeout;
}

void add_restart_policy(json::object& args, const ToolRequest& r) {
  if ((r.max_restarts || r.backoff) && (r.restart.empty() || r.restart == "no"))
    throw UsageError{"--max-restarts and --backoff go with --restart on-failure or always"};
  if (!r.restart.empty()) args["restart"] = r.restart;
  if (r.max_restarts) args["max_restarts"] = *r.max_restarts;
  if (r.backoff) args["backoff"] = *r.backoff;
}

// Returns the tool name and fills `args`.
std::string build(const ToolRequest& r, json::object& args) {
  std::vector<std::string> words = without_dashdash(r.words);
  std::string action = r.command;
  if (action == "ctrl") {
    if (words.empty() || (words[0] != "start" && words[0] != "stop" && words[0] != "restart" && words[0] != "input"))
      throw UsageError{"ctrl needs an action: start, stop, restart or input"};
    action = words[0];
    words = without_dashdash(std::vector<std::string>(words.begin() + 1, words.end()));
  }
  if (action == "start") {
    if (words.empty()) throw UsageError{"start needs a COMMAND to run"};
    args["action"] = "start";
    args["command_or_label"] = words.size() == 1 ? words[0] : shell_join(words);
    args["working_directory"] = absolute_dir(r.working_directory);
    if (!r.environment.empty()) args["environment"] = parse_environment(r.environment);
    if (!r.label.empty()) args["label"] = r.label;
    if ((r.columns || r.rows) && !r.tty) throw UsageError{"--columns and --rows go with --tty"};
    if (r.tty) args["tty"] = true;
    if (r.columns) args["columns"] = *r.columns;
    if (r.rows) args["rows"] = *r.rows;
    add_restart_policy(args, r);
    add_wait(args, r);
    return "ctrl";
  }
  if (!r.restart.empty() || r.max_restarts || r.backoff)
    throw UsageError{"--restart, --max-restarts and --backoff go with start only (a restart keeps the policy)"};
  if (action == "input") {
    // TARGET [ARGS...] TEXT: the last word is the text, as given (use $'...' for control keys).
    if (words.size() < 2) throw UsageError{"input needs a TARGET and the TEXT to send"};
    args["action"] = "input";
    args["text"] = words.back();
    words.pop_back();
    add_target(args, words, "input");
    if (!r.working_directory.empty()) args["working_directory"] = absolute_dir(r.working_directory);
    add_wait(args, r);
    return "ctrl";
  }
  if (action == "stop" || action == "restart") {
    args["action"] = action;
    add_target(args, words, action);
    if (!r.working_directory.empty()) args["working_directory"] = absolute_dir(r.working_directory);
    if (action == "stop" && r.force) args["force"] = true;
    if (action == "stop" && (!r.wait_for.empty() || r.wait_timeout))
      throw UsageError{"--wait-for applies to start, restart and input only"};
    add_wait(args, r);
    return "ctrl";
  }
  if (action == "list") {
    if (!words.empty()) throw UsageError{"list takes no arguments (use --pid, --command-or-label)"};
    if (r.pid) args["pid"] = *r.pid;
    if (!r.command_or_label.empty()) args["command_or_label"] = r.command_or_label;
    if (!r.working_directory.empty()) args["working_directory"] = absolute_dir(r.working_directory);
    return "list";
  }
  // output
  add_target(args, words, "output");
  check_time("--since-time", r.since_time);
  check_time("--before-time", r.before_time);
  if (r.follow && (r.raw || !r.before_time.empty()))
    throw UsageError{"--follow does not go with --raw or --before-time"};
  if (r.raw) {
    if (r.stream != "combined" || !r.since_time.empty() || !r.before_time.empty() || !r.grep.empty())
      throw UsageError{"--raw takes only --lines (the raw output has no streams or time stamps)"};
    args["raw"] = true;
  } else {
    args["stream"] = r.stream;
  }
  args["lines"] = r.lines;
  if (!r.since_time.empty()) args["since_time"] = r.since_time;
  if (!r.before_time.empty()) args["before_time"] = r.before_time;
  if (!r.grep.empty()) args["pattern"] = r.grep;
  if (!r.working_directory.empty()) args["working_directory"] = absolute_dir(r.working_directory);
  return "output";
}

client::Endpoint endpoint(const GlobalOptions& g) { return {g.port, client_token(g.data_dir)}; }

// A wait_for call may take its whole wait_timeout: the reply deadline allows for it.
client::Endpoint endpoint_for(const GlobalOptions& g, const json::object& args) {
  client::Endpoint ep = endpoint(g);
  if (auto* w = args.if_contains("wait_timeout"); w || args.contains("wait_for"))
    ep.timeout += std::chrono::seconds(static_cast<int>(w ? w->to_number<double>() : 30) + 1);
  return ep;
}

int no_server(const GlobalOptions& g, const std::string& why) {
  std::fprintf(stderr, "persistproc: no server is running on port %d (%s).\n%s\n", g.port, why.c_str(),
               client::start_server_hint(g.port).c_str());
  return kExitNoServer;
}

// output --follow: the call's arguments give the target and the last lines to show first.
int follow_output(const GlobalOptions& g, PreparedCall& c, const ToolRequest& r) {
  client::FollowOptions o;
  o.port = g.port;
  o.token = c.endpoint.token;
  o.stream = r.stream;
  if (!r.grep.empty()) {
    std::string err;
    o.pattern = Pattern::compile(r.grep, err);
    if (!o.pattern) {  // what `output --grep` says of it too
      std::fprintf(stderr, "Error: pattern: %s.\n", err.c_str());
      return kExitFailed;
    }
  }
  o.output_args = std::move(c.args);
  return client::follow_command(o);
}

}  // namespace

PreparedCall prepare_call(const GlobalOptions& g, const ToolRequest& r) {
  PreparedCall c;
  try {
    c.tool = build(r, c.args);
  } catch (const UsageError& e) {
    return {e.message, "", {}, {}};
  }
  c.endpoint = endpoint_for(g, c.args);
  return c;
}

int tool_command(const GlobalOptions& g, const ToolRequest& r) {
  PreparedCall c = prepare_call(g, r);
  if (!c.usage_error.empty()) {
    std::fprintf(stderr, "persistproc %s: %s\n", r.command.c_str(), c.usage_error.c_str());
    return kExitUsage;
  }
  if (r.follow) return follow_output(g, c, r);
  const std::string& tool = c.tool;
  // (The endpoint was worked out before: moving args in the same call as reading them was unordered.)
  auto out = client::call_tool_once(c.endpoint, tool, std::move(c.args));
  if (out.kind == client::CallOutcome::no_server) return no_server(g, out.message);
  if (out.kind != client::CallOutcome::ok) {
    std::fprintf(stderr, "persistproc: %s\n", out.message.c_str());
    return kExitFailed;
  }
  const json::object& res = out.result;
  auto* err = res.if_contains("error");
  bool failed = err && !err->is_null();
  if (g.format == "json") {
    std::printf("%s\n", json::serialize(res).c_str());
  } else if (failed) {
    // A search cut off at its time limit still returns what it found: printed as usual.
    if (tool == "output") std::fputs(format_output(res).c_str(), stdout);
    std::fprintf(stderr, "Error: %s\n", err->is_string() ? std::string(err->as_string()).c_str() : "");
    // wait_for failures carry the process's last lines: they say why.
    if (auto* lines = res.if_contains("output"); lines && lines->is_array() && tool == "ctrl")
      for (const auto& l : lines->as_array())
        if (l.is_string()) std::fputs(std::string(l.as_string()).c_str(), stderr);
  } else {
    std::string text = tool == "ctrl"   ? format_ctrl(res)
                       : tool == "list" ? (r.long_form ? format_list(res) : format_list_table(res, table_style_for_stdout()))
                                        : format_output(res);
    std::fputs(text.c_str(), stdout);
  }
  return failed ? kExitFailed : kExitOk;
}

int shutdown_command(const GlobalOptions& g) {
  auto out = client::shutdown_server(endpoint(g));
  if (out.kind == client::CallOutcome::no_server) return no_server(g, out.message);
  if (out.kind != client::CallOutcome::ok) {
    std::fprintf(stderr, "persistproc: %s\n", out.message.c_str());
    return kExitFailed;
  }
  if (g.format == "json")
    std::printf("{\"pid\":%d}\n", out.pid);
  else
    std::printf("Server (PID %d) has shut down.\n", out.pid);
  return kExitOk;
}

}  // namespace pp::cli
