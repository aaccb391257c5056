#include "client/run_steps.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <cstring>
#include <optional>

#include "client/call.hpp"
#include "core/exit_codes.hpp"
#include "core/shell_words.hpp"

extern char** environ;

namespace pp::client {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

asio::awaitable<CallOutcome> call(const RunOptions& o, std::string tool, json::object args) {
  asio::any_io_executor ex = co_await asio::this_coro::executor;
  // (A named local, not a temporary: gcc 12 can destroy temporaries in a co_await expression twice.)
  Endpoint endpoint{o.port, o.token};
  CallOutcome out = co_await call_tool(ex, std::move(endpoint), std::move(tool), std::move(args));
  co_return out;
}

// How a call that did not reach the tool ends the run.
std::optional<Failed> unreached(const CallOutcome& r, int port) {
  if (r.kind == CallOutcome::no_server)
    return Failed{kExitNoServer, "no server answers on port " + std::to_string(port) + ". " + start_server_hint(port)};
  if (r.kind != CallOutcome::ok) return Failed{kExitFailed, r.message};
  return std::nullopt;
}

// The same, or the tool's own error.
std::optional<Failed> refused(const CallOutcome& r, int port) {
  if (auto f = unreached(r, port)) return f;
  auto* e = r.result.if_contains("error");
  if (e && e->is_string()) return Failed{kExitFailed, std::string(e->as_string())};
  return std::nullopt;
}

// The running instance this run should attach to, among those `list` returned.
std::optional<json::object> running_match(const RunOptions& o, const json::object& listed) {
  for (const auto& v : listed.at("processes").as_array()) {
    const auto& p = v.as_object();
    if (p.at("status") != "running") continue;
    if (o.label) {
      if (p.at("label") == json::value(*o.label)) return p;
      continue;
    }
    std::vector<std::string> argv;
    for (const auto& a : p.at("command").as_array()) argv.emplace_back(a.as_string());
    if (argv == o.argv) return p;
  }
  return std::nullopt;
}

std::string string_or_empty(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

json::object stop_args(json::value pid) {
  json::object args;
  args["action"] = "stop";
  args["pid"] = std::move(pid);
  return args;
}

json::object start_args(const RunOptions& o, const std::string& command) {
  json::object env;
  for (char** e = environ; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq && eq != *e) env[std::string(*e, static_cast<std::size_t>(eq - *e))] = eq + 1;
  }
  json::object args;
  args["action"] = "start";
  args["command_or_label"] = command;
  args["working_directory"] = o.cwd;
  args["environment"] = std::move(env);
  if (o.label) args["label"] = *o.label;
  if (o.tty.value_or(false)) {
    args["tty"] = true;
    if (o.columns > 0 && o.rows > 0) {
      args["columns"] = o.columns;
      args["rows"] = o.rows;
    }
  }
  return args;
}

}  // namespace

asio::awaitable<RunEvent> connect(const RunOptions& o, EventSource& events) {
  // The server's pid first: it proves a server is there and lets us notice it leaving.
  json::object self_args;
  self_args["pid"] = 0;
  CallOutcome self = co_await call(o, "list", std::move(self_args));
  if (auto f = unreached(self, o.port)) co_return std::move(*f);
  int server_pid = self.result.at("processes").at(0).at("pid").to_number<int>();
  // Exits and restarts come as events; the stream is in place before we look for
  // or start the process, so none concerning it can be missed.
  std::optional<std::string> why;
  try {
    co_await events.open();
  } catch (const std::exception& e) {
    why = e.what();
  }
  if (why) co_return Failed{kExitFailed, "cannot open the server's event stream: " + *why};
  co_return Connected{server_pid};
}

asio::awaitable<RunEvent> find_or_start(const RunOptions& o) {
  std::string command = shell_join(o.argv);
  json::object query;
  query["command_or_label"] = o.label ? *o.label : command;
  if (!o.label) query["working_directory"] = o.cwd;
  CallOutcome listed = co_await call(o, "list", std::move(query));
  if (auto f = unreached(listed, o.port)) co_return std::move(*f);
  std::optional<json::object> running = running_match(o, listed.result);
  if (running && o.fresh) {
    json::object args = stop_args(running->at("pid"));
    CallOutcome stopped = co_await call(o, "ctrl", std::move(args));
    if (auto f = refused(stopped, o.port)) co_return std::move(*f);
    running.reset();
  }
  if (running)
    co_return Found{static_cast<int>(running->at("pid").as_int64()), std::string(running->at("log_combined").as_string()),
                    string_or_empty(*running, "log_tty"), true, std::string(running->at("label").as_string()),
                    false, std::nullopt};
  json::object args = start_args(o, command);
  CallOutcome started = co_await call(o, "ctrl", std::move(args));
  if (auto f = refused(started, o.port)) co_return std::move(*f);
  // Followed from the first line: the log was created before `start` answered.
  co_return Found{static_cast<int>(started.result.at("pid").as_int64()),
                  std::string(started.result.at("log_combined").as_string()),
                  string_or_empty(started.result, "log_tty"), false, std::string(), false, std::nullopt};
}

asio::awaitable<RunEvent> stop_process(const RunOptions& o, int pid) {
  json::object args = stop_args(pid);
  CallOutcome r = co_await call(o, "ctrl", std::move(args));
  if (auto f = refused(r, o.port)) co_return std::move(*f);
  co_return StopAccepted{};
}

}  // namespace pp::client
