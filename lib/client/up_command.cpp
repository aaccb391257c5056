#include "client/up_command.hpp"

#include <signal.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "client/call.hpp"
#include "client/event_source.hpp"
#include "client/log_follower.hpp"
#include "client/run_events.hpp"
#include "client/run_output.hpp"
#include "client/stack_lines.hpp"
#include "core/event.hpp"
#include "core/exit_codes.hpp"
#include "core/posix_io.hpp"

namespace pp::client {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string str(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

void print_line(const std::string& line) { write_all(1, line + "\n"); }

// The error of a failed up or down, with the failed process's last lines.
void print_failure(const json::object& r) {
  std::fprintf(stderr, "Error: %s\n", str(r, "error").c_str());
  if (auto* out = r.if_contains("output"); out && out->is_array())
    for (const auto& l : out->as_array())
      if (l.is_string()) std::fputs(std::string(l.as_string()).c_str(), stderr);
}

// "ready after 812 ms (PID 12)" and the like, for a process entry of ctrl up.
std::string state_text(const json::object& p) {
  std::string start = str(p, "start");
  if (start == "not started") return "not started";
  std::string pid = p.at("pid").is_int64() ? " (PID " + std::to_string(p.at("pid").as_int64()) + ")" : "";
  std::string status = str(p, "status");
  if (status != "running") {
    auto* code = p.if_contains("exit_code");
    return (code && code->is_int64() ? describe_exit(static_cast<int>(code->as_int64())) : status) + pid;
  }
  auto* ms = p.if_contains("ready_ms");
  std::string ready = ms && ms->is_int64() ? "ready after " + std::to_string(ms->as_int64()) + " ms" : "running";
  return (start == "attached" ? "already " : "") + ready + pid;
}

class UpView {
 public:
  UpView(asio::io_context& ioc, const UpViewOptions& o)
      : ex_(ioc.get_executor()),
        o_(o),
        lines_(o.names, o.color),
        events_(ex_, Endpoint{o.endpoint.port, o.endpoint.token, std::chrono::seconds(10)}),
        signals_(ex_, SIGINT, SIGTERM, SIGHUP),
        finished_(ex_) {}

  asio::awaitable<int> run() {
    try {
      co_await events_.open();
    } catch (const NoServer& e) {
      co_return finish(kExitNoServer, e.what());
    }
    asio::co_spawn(ex_, read_events(), asio::detached);
    auto up = co_await call_tool(ex_, o_.endpoint, "ctrl", o_.up_args);
    if (up.kind == CallOutcome::no_server) co_return finish(kExitNoServer, up.message);
    if (up.kind != CallOutcome::ok) co_return finish(kExitFailed, up.message);
    const json::object& r = up.result;
    if (!r.at("error").is_null()) {
      print_failure(r);
      note("what started keeps running; `persistproc down` stops it");
      co_return finish(kExitFailed, "");
    }
    if (auto* procs = r.if_contains("processes"); procs && procs->is_array())
      for (const auto& v : procs->as_array()) {
        const auto& p = v.as_object();
        std::string log = str(p, "log_combined");
        if (!log.empty()) follow(str(p, "name"), log, str(p, "start") == "attached");
      }
    print_line(lines_.note("", "stack '" + o_.stack + "' is up; Ctrl+C to stop it or detach"));
    asio::co_spawn(ex_, watch_signals(), asio::detached);
    co_await finished_.wait();
    co_return exit_code_;
  }

 private:
  int finish(int code, const std::string& message) {
    if (!message.empty()) note(message);
    if (!finished_.is_set()) {
      exit_code_ = code;
      finished_.set();
    }
    return code;
  }

  // The member a label names, or "" for another stack's process.
  std::string member(const std::string& label) const {
    std::string prefix = o_.stack + "/";
    return label.starts_with(prefix) ? label.substr(prefix.size()) : "";
  }

  asio::awaitable<void> read_events() {
    for (;;) {
      auto e = co_await events_.next();
      if (!e) {
        finish(kExitNoServer, "the server went away");
        co_return;
      }
      std::string name = member(str(*e, "label"));
      if (name.empty()) continue;
      std::string event = str(*e, "event");
      if (auto line = lines_.lifecycle(name, *e)) print_line(*line);
      if (event == "started" || event == "restarted") follow(name, str(*e, "log_combined"), false);
    }
  }

  // Shows `name`'s log from its start (or its end) as it grows; once per log.
  void follow(const std::string& name, const std::string& log, bool from_end) {
    if (log.empty() || !followed_.insert(log).second) return;
    asio::co_spawn(ex_, show_log(name, log, from_end), asio::detached);
  }

  asio::awaitable<void> show_log(std::string name, std::string log, bool from_end) {
    LogFollower f(ex_);
    if (std::string err = f.follow(log, from_end); !err.empty()) {
      print_line(lines_.note(name, "cannot read its log: " + err));
      co_return;
    }
    for (;;) {
      for (const auto& l : f.read_lines())
        if (auto line = lines_.output(name, l.text)) print_line(*line);
      co_await f.changed();
    }
  }

  asio::awaitable<void> watch_signals() {
    auto [ec, sig] = co_await signals_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    OnExit what = sig == SIGINT ? o_.on_exit : OnExit::detach;
    if (what == OnExit::ask) what = ask();
    if (what == OnExit::detach) {
      write_all(2, "\n");
      finish(kExitOk, "detached; stack '" + o_.stack + "' keeps running (`persistproc down` stops it)");
      co_return;
    }
    // A second signal while stopping leaves at once; the server finishes the stop.
    signals_.async_wait([this](const boost::system::error_code& e, int) {
      if (!e) finish(kExitInterrupted, "left while stopping; the server finishes the stop");
    });
    json::object args{{"action", "down"}, {"name", o_.stack}};
    auto down = co_await call_tool(ex_, o_.endpoint, "ctrl", args);
    if (down.kind != CallOutcome::ok) co_return (void)finish(kExitFailed, down.message);
    if (!down.result.at("error").is_null()) {
      print_failure(down.result);
      co_return (void)finish(kExitFailed, "");
    }
    finish(kExitOk, "stack '" + o_.stack + "' stopped");
  }

  // Ctrl+C, attached: stop the stack or detach? Without a terminal to ask on: detach.
  OnExit ask() {
    if (!::isatty(0)) return OnExit::detach;
    write_all(2, "\nStop stack '" + o_.stack + "' (s) or detach (d)? [s/d] ");
    std::string answer;
    if (!std::getline(std::cin, answer)) return OnExit::detach;
    return !answer.empty() && (answer[0] == 's' || answer[0] == 'S' || answer[0] == 'y') ? OnExit::stop
                                                                                          : OnExit::detach;
  }

  asio::any_io_executor ex_;
  const UpViewOptions& o_;
  StackLines lines_;
  EventSource events_;
  asio::signal_set signals_;
  Event finished_;
  int exit_code_ = kExitOk;
  std::set<std::string> followed_;
};

int up_detached(const UpViewOptions& o) {
  auto out = call_tool_once(o.endpoint, "ctrl", o.up_args);
  if (out.kind == CallOutcome::no_server) {
    note(out.message);
    return kExitNoServer;
  }
  if (out.kind != CallOutcome::ok) {
    note(out.message);
    return kExitFailed;
  }
  const json::object& r = out.result;
  StackLines lines(o.names, false);
  if (auto* procs = r.if_contains("processes"); procs && procs->is_array())
    for (const auto& v : procs->as_array())
      print_line(lines.note(str(v.as_object(), "name"), state_text(v.as_object())));
  if (!r.at("error").is_null()) {
    print_failure(r);
    note("what started keeps running; `persistproc down` stops it");
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

int up_command(const UpViewOptions& o) {
  ::signal(SIGPIPE, SIG_IGN);
  if (o.detach) return up_detached(o);
  asio::io_context ioc;
  UpView view(ioc, o);
  int exit_code = kExitFailed;
  asio::co_spawn(ioc, view.run(), [&](std::exception_ptr e, int code) {
    if (e) note(failure_text(e));
    exit_code = e ? kExitFailed : code;
    ioc.stop();
  });
  ioc.run();
  return exit_code;
}

int down_command(const Endpoint& endpoint, const json::object& args, bool json_format) {
  auto out = call_tool_once(endpoint, "ctrl", args);
  if (out.kind != CallOutcome::ok) {
    note(out.message);
    return out.kind == CallOutcome::no_server ? kExitNoServer : kExitFailed;
  }
  const json::object& r = out.result;
  if (json_format) {
    print_line(json::serialize(r));
  } else if (auto* procs = r.if_contains("processes"); procs && procs->is_array()) {
    std::vector<std::string> names;
    for (const auto& v : procs->as_array()) names.push_back(str(v.as_object(), "name"));
    StackLines lines(names, false);
    for (const auto& v : procs->as_array())
      print_line(lines.note(str(v.as_object(), "name"), "stopped (" + state_text(v.as_object()) + ")"));
  }
  if (!r.at("error").is_null()) {
    if (!json_format) print_failure(r);
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace pp::client
