// The `ctrl` tool: start, stop or restart a managed process; write to its input,
// resize its terminal, send it a signal.
#include <signal.h>

#include <array>
#include <utility>

#include "core/pattern.hpp"
#include "core/shell_words.hpp"
#include "mcp/args.hpp"
#include "mcp/tools.hpp"
#include "supervise/ready_wait.hpp"

namespace pp::mcp {

namespace {

json::object ctrl_result(const std::string& action, const CtrlOutcome& r) {
  const Process* p = r.process.get();
  // A stop reports the stopped process; start/restart report the new one.
  bool show_logs = p && r.error.empty();
  // A restart's pid is the new, running instance: its exit code is not known yet;
  // how the one it replaced ended is previous_exit_code.
  bool restart = action == "restart";
  json::object result{
      {"action", action},
      {"pid", p ? json::value(p->pid()) : json::value(nullptr)},
      {"exit_code", restart ? json::value(nullptr) : nullable(r.exit_code)},
      {"log_stdout", show_logs ? json::value(p->logs().stdout_path) : json::value(nullptr)},
      {"log_stderr", show_logs ? json::value(p->logs().stderr_path) : json::value(nullptr)},
      {"log_combined", show_logs ? json::value(p->logs().combined_path) : json::value(nullptr)},
      {"log_tty", show_logs && !p->logs().tty_path.empty() ? json::value(p->logs().tty_path) : json::value(nullptr)},
      {"label", p ? json::value(p->spec().label) : json::value(nullptr)},
      {"error", r.error.empty() ? json::value(nullptr) : json::value(r.error)},
  };
  if (restart) result["previous_exit_code"] = nullable(r.exit_code);
  return result;
}

constexpr double kDefaultWaitSeconds = 30, kMaxWaitSeconds = 600;

// start's restart, max_restarts and backoff (docs/mcp.md#restart-policies).
RestartPolicy read_restart_policy(const Args& a, const std::string& action) {
  auto mode = a.str("restart");
  auto max_restarts = a.integer("max_restarts", 0, RestartPolicy::kMaxMaxRestarts);
  auto backoff = a.number("backoff", 0, RestartPolicy::kMaxBackoffSeconds);
  RestartPolicy p;
  if (!mode && !max_restarts && !backoff) return p;
  if (action != "start")
    throw RpcError{kInvalidParams, "'restart', 'max_restarts' and 'backoff' go with start only (a restart keeps "
                                   "the policy the process was started with)"};
  if (mode) {
    auto m = parse_restart_mode(*mode);
    if (!m) throw RpcError{kInvalidParams, "'restart' must be one of " + std::string(kRestartModes)};
    p.mode = *m;
  }
  if ((max_restarts || backoff) && p.mode == RestartPolicy::Mode::no)
    throw RpcError{kInvalidParams, "'max_restarts' and 'backoff' need 'restart' on-failure or always"};
  if (max_restarts) p.max_restarts = static_cast<int>(*max_restarts);
  if (backoff) p.backoff = std::chrono::milliseconds(static_cast<std::int64_t>(*backoff * 1000 + 0.5));
  return p;
}
constexpr std::int64_t kMaxTerminalSide = 10000;

// The signals a client may pass on (Ctrl+C, a window change, a reload...), by name.
constexpr std::array<std::pair<const char*, int>, 7> kSignals{{{"INT", SIGINT}, {"TERM", SIGTERM}, {"HUP", SIGHUP},
                                                             {"QUIT", SIGQUIT}, {"USR1", SIGUSR1},
                                                             {"USR2", SIGUSR2}, {"WINCH", SIGWINCH}}};

int signal_number(std::string name) {
  if (name.starts_with("SIG")) name.erase(0, 3);
  for (const auto& [n, sig] : kSignals)
    if (name == n) return sig;
  throw RpcError{kInvalidParams, "'signal' must be one of INT, TERM, HUP, QUIT, USR1, USR2, WINCH"};
}
constexpr std::uint64_t kTailLines = 20;

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", s);
  return buf;
}

// Adds what wait_for found to a start/restart result: the matching line, or an
// error and the instance's last lines so the caller sees why.
boost::asio::awaitable<void> await_ready(json::object& result, std::shared_ptr<ReadyWatch> watch,
                                         std::shared_ptr<Process> inst, const Pattern& pattern, double seconds,
                                         std::optional<Millis> from) {
  auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  ReadyOutcome r = co_await watch->wait(inst, timeout, from);
  if (r.kind == ReadyOutcome::matched) {
    result["matched_line"] = r.line;
    result["ready_ms"] = r.ready_ms;
    co_return;
  }
  std::string pid = std::to_string(inst->pid());
  if (r.kind == ReadyOutcome::exited) {
    result["error"] = "Process " + pid + " exited with code " + std::to_string(inst->exit_code().value_or(-1)) +
                      " before a line matched '" + pattern.text() + "'.";
    result["exit_code"] = nullable(inst->exit_code());
  } else {
    result["error"] = "Process " + pid + " is still running, but no line matched '" + pattern.text() + "' within " +
                      seconds_text(seconds) + ".";
  }
  result["output"] = combined_tail(*inst, kTailLines);
  result["matched_line"] = nullptr;
  result["ready_ms"] = nullptr;
}

}  // namespace

Tool make_ctrl_tool(Supervisor& sup) {
  Tool t;
  t.name = "ctrl";
  t.title = "Start, stop or restart a process";
  // Starting runs a command and stopping ends one: never without approval.
  t.annotations = {{"readOnlyHint", false}, {"destructiveHint", true}, {"idempotentHint", false}};
  t.description =
      "Start, stop or restart a long-running process (dev server, watcher, database), or type into it.\n"
      "start: command_or_label is the command line (shell-split), working_directory is required, "
      "environment (object of strings) is laid over the server's environment, label is optional "
      "(default '<command> in <working_directory>').\n"
      "stop: SIGTERM to the process group, SIGKILL after 8 s; force=true sends SIGKILL at once.\n"
      "restart: stop, then start again with the same command, directory, environment, label and restart policy; "
      "a process that has ended (crashed) is found by its label and simply started again.\n"
      "restart (start): the restart policy, no (default), on-failure (after a non-zero exit or a signal) or always "
      "(after any exit that was not a stop); it restarts after backoff seconds (default 1), doubling for each "
      "restart in a row up to 60 s, and gives up after max_restarts in a row (default 5, 0: no limit; a run of "
      "60 s ends the streak). A stop never restarts.\n"
      "tty (start): run it on a pseudo-terminal (columns x rows, default 200x50, TERM=xterm-256color): for "
      "programs that want a terminal; its output is one stream, logged as plain text (colours and cursor movement "
      "removed; output raw=true has the raw bytes).\n"
      "resize: sets the terminal size of a tty process (columns, rows). signal: sends signal (INT, TERM, HUP, "
      "QUIT, USR1, USR2, WINCH) to the process group.\n"
      "input: writes text to the process's stdin (JSON escapes give \\r, \\u0003 and other control characters); "
      "an error if the process has ended or is not reading its input (64 KiB already waiting).\n"
      "wait_for (start/restart/input): a regular expression (RE2 syntax); the call returns once a line of the new "
      "process's output (for input: a line after the write) matches it (adding matched_line and ready_ms), or "
      "fails if the process exits first or "
      "wait_timeout seconds (default 30, at most 600) pass, with its last 20 lines in output.\n"
      "Identify the process for stop/restart/input/resize/signal by pid, or by label or command (plus working_directory "
      "when several match).\n"
      "Example: {\"action\": \"start\", \"command_or_label\": \"npm run dev\", \"working_directory\": \"/home/me/app\"}\n"
      "Example: {\"action\": \"restart\", \"command_or_label\": \"dev-server\", \"wait_for\": \"ready|listening on\"}\n"
      "Example (send r to hot-reload): {\"action\": \"input\", \"command_or_label\": \"flutter run\", \"text\": \"r\"}";
  json::object props;
  props["action"] = {{"type", "string"}, {"enum", json::array{"start", "stop", "restart", "input", "resize", "signal"}}};
  add_target_properties(props);
  props["environment"] = {{"type", "object"},
                          {"additionalProperties", {{"type", "string"}}},
                          {"description", "Extra environment variables for start."}};
  props["force"] = {{"type", "boolean"}, {"default", false},
                    {"description", "stop: SIGKILL at once instead of SIGTERM first."}};
  props["label"] = {{"type", "string"}, {"description", "Custom label for start."}};
  props["restart"] = {{"type", "string"}, {"enum", json::array{"no", "on-failure", "on_failure", "always"}},
                      {"default", "no"},
                      {"description", "start: restart it when it exits by itself (on-failure: with a non-zero code "
                                      "or a signal; always: any exit). A stop never restarts."}};
  props["max_restarts"] = {{"type", "integer"}, {"minimum", 0}, {"maximum", RestartPolicy::kMaxMaxRestarts},
                           {"default", 5},
                           {"description", "start, with restart: restarts in a row before giving up (0: no limit)."}};
  props["backoff"] = {{"type", "number"}, {"minimum", 0}, {"maximum", RestartPolicy::kMaxBackoffSeconds},
                      {"default", 1},
                      {"description", "start, with restart: seconds before the first restart; doubled for each "
                                      "restart in a row, up to 60."}};
  props["tty"] = {{"type", "boolean"}, {"default", false},
                  {"description", "start: run on a pseudo-terminal."}};
  for (const char* side : {"columns", "rows"})
    props[side] = {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxTerminalSide},
                   {"description", "start (with tty) and resize: the terminal size (default 200x50)."}};
  json::array names;
  for (const auto& entry : kSignals) names.emplace_back(entry.first);
  props["signal"] = {{"type", "string"}, {"enum", std::move(names)},
                     {"description", "signal: the signal to send to the process group."}};
  props["text"] = {{"type", "string"},
                   {"description", "input: the text to write to the process's stdin."}};
  props["wait_for"] = {{"type", "string"},
                       {"maxLength", Pattern::kMaxLength},
                       {"description", "start/restart/input: return once an output line matches this regular expression."}};
  props["wait_timeout"] = {{"type", "number"}, {"minimum", 0}, {"maximum", kMaxWaitSeconds},
                           {"default", kDefaultWaitSeconds},
                           {"description", "Seconds to wait for wait_for (default 30)."}};
  t.input_schema = {{"type", "object"},
                    {"properties", std::move(props)},
                    {"required", json::array{"action"}},
                    {"additionalProperties", false}};

  json::object out;
  out["action"] = {{"type", "string"}};
  out["pid"] = nullable_type("integer");
  out["exit_code"] = nullable_type("integer");
  out["previous_exit_code"] = nullable_type("integer");  // restart only
  for (const char* k : {"log_stdout", "log_stderr", "log_combined", "log_tty", "label", "error"})
    out[k] = nullable_type("string");
  // Only with wait_for:
  out["matched_line"] = nullable_type("string");
  out["ready_ms"] = nullable_type("integer");
  out["output"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
  t.output_schema = {{"type", "object"},
                     {"properties", std::move(out)},
                     {"required", json::array{"action", "pid", "exit_code", "log_stdout", "log_stderr",
                                              "log_combined", "log_tty", "label", "error"}}};

  t.call = [&sup](const json::object& o) -> boost::asio::awaitable<json::object> {
    Args a(o);
    a.only({"action", "pid", "command_or_label", "working_directory", "environment", "force", "label", "wait_for",
            "wait_timeout", "text", "tty", "columns", "rows", "signal", "restart", "max_restarts", "backoff"});
    auto action = a.str("action");
    if (!action || (*action != "start" && *action != "stop" && *action != "restart" && *action != "input" &&
                    *action != "resize" && *action != "signal"))
      throw RpcError{kInvalidParams, "'action' must be one of start, stop, restart, input, resize, signal"};
    bool tty = a.boolean("tty").value_or(false);
    auto columns = a.integer("columns", 1, kMaxTerminalSide);
    auto rows = a.integer("rows", 1, kMaxTerminalSide);
    auto signal_name = a.str("signal");
    if (*action == "resize" ? !columns || !rows : (columns || rows) && !(*action == "start" && tty))
      throw RpcError{kInvalidParams, "'columns' and 'rows' go with resize, or with start and tty"};
    if (signal_name.has_value() != (*action == "signal"))
      throw RpcError{kInvalidParams, signal_name ? "'signal' goes with action signal only" : "signal needs 'signal'"};
    RestartPolicy policy = read_restart_policy(a, *action);
    auto text = a.str("text");
    if (text.has_value() != (*action == "input"))
      throw RpcError{kInvalidParams, text ? "'text' goes with action input only" : "input needs 'text'"};
    Target target = read_target(o);
    auto env = a.string_map("environment");
    bool force = a.boolean("force").value_or(false);
    auto label = a.str("label");
    auto wait_for = a.str("wait_for");
    double wait_seconds = a.number("wait_timeout", 0, kMaxWaitSeconds).value_or(kDefaultWaitSeconds);
    std::shared_ptr<const Pattern> pattern;
    std::shared_ptr<ReadyWatch> watch;
    if (wait_for) {
      if (*action != "start" && *action != "restart" && *action != "input")
        throw RpcError{kInvalidParams, "'wait_for' applies to start, restart and input only"};
      std::string err;
      pattern = Pattern::compile(*wait_for, err);
      if (!pattern) co_return ctrl_result(*action, {nullptr, std::nullopt, "wait_for: " + err + "."});
      watch = std::make_shared<ReadyWatch>(pattern);
    }

    if (*action == "resize")
      co_return ctrl_result(*action, sup.resize(target, static_cast<unsigned short>(*columns),
                                                static_cast<unsigned short>(*rows)));
    if (*action == "signal") co_return ctrl_result(*action, sup.signal(target, signal_number(*signal_name)));
    CtrlOutcome outcome;
    std::optional<Millis> written_at;
    if (*action == "input") {
      written_at = now_ms();
      outcome = sup.input(target, *text, watch);
    } else if (*action == "start") {
      if (!target.command_or_label || target.command_or_label->empty())
        co_return ctrl_result(*action, {nullptr, std::nullopt, "start needs command_or_label (the command line)."});
      if (!target.working_directory || target.working_directory->empty())
        co_return ctrl_result(*action, {nullptr, std::nullopt, "start needs working_directory (an absolute path)."});
      auto split = shell_split(*target.command_or_label);
      if (!split.error.empty() || split.words.empty())
        co_return ctrl_result(*action, {nullptr, std::nullopt,
                                        "Cannot parse command '" + *target.command_or_label + "': " +
                                            (split.error.empty() ? "empty" : split.error) + "."});
      ProcessSpec spec{split.words, *target.working_directory, env.value_or(EnvOverlay{}), label.value_or(""), tty};
      if (columns) spec.columns = static_cast<unsigned short>(*columns);
      if (rows) spec.rows = static_cast<unsigned short>(*rows);
      spec.restart = policy;
      outcome = sup.start(std::move(spec), watch);
    } else if (*action == "stop") {
      co_return ctrl_result(*action, co_await sup.stop(target, force));
    } else {
      outcome = co_await sup.restart(target, watch);
    }
    json::object result = ctrl_result(*action, outcome);
    if (watch && outcome.process && outcome.error.empty())
      co_await await_ready(result, watch, outcome.process, *pattern, wait_seconds, written_at);
    co_return result;
  };
  return t;
}

}  // namespace pp::mcp
