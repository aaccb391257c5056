#include "client/run_command.hpp"

#include <signal.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>

#include "client/call.hpp"
#include "client/event_source.hpp"
#include "client/log_follower.hpp"
#include "client/run_output.hpp"
#include "client/terminal.hpp"
#include "core/event.hpp"
#include "core/exit_codes.hpp"
#include "core/posix_io.hpp"
#include "core/shell_words.hpp"
#include "os/pidfd.hpp"

extern char** environ;

namespace pp::client {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

class Runner {
 public:
  explicit Runner(const RunOptions& o)
      : o_(o),
        follower_(ioc_.get_executor()),
        out_(o.raw),
        signals_(ioc_, SIGINT, SIGTERM, SIGHUP),
        events_(ioc_.get_executor(), Endpoint{o_.port, o_.token, std::chrono::seconds(10)}),
        stream_ended_(ioc_.get_executor()) {}

  int run() {
    ::signal(SIGPIPE, SIG_IGN);
    asio::co_spawn(ioc_, main(), [this](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        note(std::string("error: ") + ex.what());
      }
      finish(kExitFailed);
    });
    asio::co_spawn(ioc_, watch_signals(), asio::detached);
    ioc_.run();
    raw_.reset();
    return exit_code_;
  }

 private:
  asio::awaitable<CallOutcome> call(const std::string& tool, json::object args) {
    // (A named local, not a temporary: gcc 12 can destroy temporaries in a co_await expression twice.)
    Endpoint endpoint{o_.port, o_.token};
    CallOutcome out = co_await call_tool(ioc_.get_executor(), std::move(endpoint), tool, std::move(args));
    co_return out;
  }

  // Fails the run for a call that did not reach the tool; true when it did.
  bool reached(const CallOutcome& r) {
    if (r.kind == CallOutcome::no_server) {
      note("no server answers on port " + std::to_string(o_.port) + ". " + start_server_hint(o_.port));
      finish(kExitNoServer);
      return false;
    }
    if (r.kind != CallOutcome::ok) {
      note(r.message);
      finish(kExitFailed);
      return false;
    }
    return true;
  }

  static std::optional<std::string> error_of(const json::object& r) {
    auto* e = r.if_contains("error");
    if (e && e->is_string()) return std::string(e->as_string());
    return std::nullopt;
  }

  asio::awaitable<void> main() {
    // The server's pid first: it proves a server is there and lets us notice it leaving.
    json::object self_args;
    self_args["pid"] = 0;
    auto self = co_await call("list", std::move(self_args));
    if (!reached(self)) co_return;
    server_pid_ = static_cast<int>(self.result.at("processes").at(0).at("pid").to_number<int>());
    asio::co_spawn(ioc_, watch_server(), asio::detached);
    // Exits and restarts come as events; the stream is in place before we look for
    // or start the process, so none concerning it can be missed.
    try {
      co_await events_.open();
    } catch (const std::exception& e) {
      note(std::string("cannot open the server's event stream: ") + e.what());
      co_return finish(kExitFailed);
    }
    session_open_ = true;
    asio::co_spawn(ioc_, read_events(), asio::detached);

    std::string command = shell_join(o_.argv);
    display_ = o_.label ? *o_.label : command;
    std::optional<json::object> running = co_await find_running(command);
    if (finished_) co_return;
    if (running && o_.fresh) {
      json::object stop_args;
      stop_args["action"] = "stop";
      stop_args["pid"] = running->at("pid");
      auto r = co_await call("ctrl", std::move(stop_args));
      if (!reached(r)) co_return;
      if (auto err = error_of(r.result)) {
        note(*err);
        co_return finish(kExitFailed);
      }
      running.reset();
    }
    std::string log;
    if (running) {
      pid_ = static_cast<int>(running->at("pid").as_int64());
      log = std::string(running->at("log_combined").as_string());
      if (std::string err = follower_.follow(log, true); !err.empty()) {
        note(err);
        co_return finish(kExitFailed);
      }
      note("attached to PID " + std::to_string(pid_) + " (" + std::string(running->at("label").as_string()) +
           "); Ctrl+C to " + (o_.on_exit == OnExit::stop ? "stop it" : o_.on_exit == OnExit::detach ? "detach" : "choose"));
    } else {
      json::object env;
      for (char** e = environ; e && *e; ++e) {
        const char* eq = std::strchr(*e, '=');
        if (eq && eq != *e) env[std::string(*e, static_cast<std::size_t>(eq - *e))] = eq + 1;
      }
      json::object start_args;
      start_args["action"] = "start";
      start_args["command_or_label"] = command;
      start_args["working_directory"] = o_.cwd;
      start_args["environment"] = std::move(env);
      if (o_.label) start_args["label"] = *o_.label;
      auto r = co_await call("ctrl", std::move(start_args));
      if (!reached(r)) co_return;
      if (auto err = error_of(r.result)) {
        note(*err);
        co_return finish(kExitFailed);
      }
      pid_ = static_cast<int>(r.result.at("pid").as_int64());
      log = std::string(r.result.at("log_combined").as_string());
      // From the first line: the log was created before `start` answered.
      if (std::string err = follower_.follow(log, false); !err.empty()) {
        note(err);
        co_return finish(kExitFailed);
      }
    }
    // Events that came while we were starting or attaching apply now.
    ready_ = true;
    process_events();
    while (!finished_) {
      drain();
      if (finished_) break;
      co_await follower_.changed();
    }
  }

  asio::awaitable<void> read_events() {
    for (;;) {
      auto ev = co_await events_.next();
      if (!ev) break;
      queue_.push_back(std::move(*ev));
      process_events();
    }
    stream_ended_.set();
  }

  void process_events() {
    while (ready_ && !finished_ && !queue_.empty()) {
      json::object ev = std::move(queue_.front());
      queue_.pop_front();
      on_event(ev);
    }
  }

  static int int_of(const json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    return v && v->is_number() ? v->to_number<int>() : 0;
  }

  // A lifecycle event from the server. Each is sent once the log it concerns is
  // complete, so reading the log to its end first shows every line before acting.
  void on_event(const json::object& ev) {
    auto* kind = ev.if_contains("event");
    if (!kind || !kind->is_string()) return;
    std::string_view k = kind->as_string();
    if (k == "exited" && int_of(ev, "pid") == pid_) {
      drain();
      if (finished_) return;
      auto* r = ev.if_contains("restarting");
      if (r && r->is_bool() && r->as_bool()) return;  // restarted or restart_failed follows
      out_.release();
      int code = int_of(ev, "exit_code");
      if (stopping_) {
        note("stopped PID " + std::to_string(pid_) + " (" + describe_exit(code) + ")");
        finish(kExitOk);
      } else {
        note("process " + std::to_string(pid_) + " " + describe_exit(code));
        finish(shell_exit_code(code));
      }
    } else if (k == "restarted" && int_of(ev, "previous_pid") == pid_) {
      drain();
      if (finished_) return;
      int fresh = int_of(ev, "pid");
      note("restarted: PID " + std::to_string(pid_) + " -> " + std::to_string(fresh));
      pid_ = fresh;
      auto* log = ev.if_contains("log_combined");
      std::string path = log && log->is_string() ? std::string(log->as_string()) : "";
      if (std::string err = follower_.follow(path, false); !err.empty()) {
        note(err);
        return finish(kExitFailed);
      }
      drain();
    } else if (k == "restart_failed" && int_of(ev, "pid") == pid_) {
      drain();
      if (finished_) return;
      out_.release();
      auto* e = ev.if_contains("error");
      note("restart failed: " + (e && e->is_string() ? std::string(e->as_string()) : std::string("unknown error")));
      finish(kExitFailed);
    }
  }

  // The running instance this run should attach to, if any.
  asio::awaitable<std::optional<json::object>> find_running(const std::string& command) {
    json::object args;
    args["command_or_label"] = o_.label ? *o_.label : command;
    if (!o_.label) args["working_directory"] = o_.cwd;
    auto r = co_await call("list", std::move(args));
    if (!reached(r)) co_return std::nullopt;
    for (const auto& v : r.result.at("processes").as_array()) {
      const auto& p = v.as_object();
      if (p.at("status") != "running") continue;
      if (o_.label) {
        if (p.at("label") == json::value(*o_.label)) co_return p;
        continue;
      }
      std::vector<std::string> argv;
      for (const auto& a : p.at("command").as_array()) argv.emplace_back(a.as_string());
      if (argv == o_.argv) co_return p;
    }
    co_return std::nullopt;
  }

  void drain() {
    for (auto& line : follower_.read_lines()) out_.line(line.text);
  }

  asio::awaitable<void> watch_signals() {
    for (;;) {
      auto [ec, sig] = co_await signals_.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec || finished_) co_return;
      if (pid_ <= 0) {
        note("interrupted");
        co_return finish(kExitInterrupted);
      }
      if (prompting_ || stopping_ || sig != SIGINT) {
        // Ctrl+C at the prompt, a second Ctrl+C while stopping, or SIGTERM/SIGHUP: leave now.
        co_return detach();
      }
      OnExit mode = o_.on_exit;
      if (mode == OnExit::ask && !is_terminal(0)) mode = OnExit::detach;
      if (mode == OnExit::detach) co_return detach();
      if (mode == OnExit::stop) {
        asio::co_spawn(ioc_, stop_process(), asio::detached);
        continue;
      }
      asio::co_spawn(ioc_, ask(), asio::detached);
    }
  }

  void detach() {
    restore_terminal();
    out_.release();
    note("detached; PID " + std::to_string(pid_) + " keeps running in the server");
    finish(kExitOk);
  }

  asio::awaitable<void> stop_process() {
    stopping_ = true;
    note("stopping PID " + std::to_string(pid_) + "...");
    json::object args;
    args["action"] = "stop";
    args["pid"] = pid_;
    auto r = co_await call("ctrl", std::move(args));
    if (finished_ || !reached(r)) co_return;
    // Success: the exit line in the log finishes the run after the final output.
    if (auto err = error_of(r.result)) {
      note(*err);
      finish(kExitFailed);
    }
  }

  asio::awaitable<void> ask() {
    prompting_ = true;
    out_.hold();
    raw_ = std::make_unique<RawMode>(0);
    write_all(2, "\nStop running process '" + display_ + "' (PID " + std::to_string(pid_) + ")? [y/N] ");
    // Wait for readiness, then read(): asio would otherwise switch stdin (shared
    // with the shell that started us) to non-blocking mode and leave it so.
    asio::posix::stream_descriptor in(ioc_, ::dup(0));
    auto [ec] = co_await in.async_wait(asio::posix::descriptor_base::wait_read, asio::as_tuple(asio::use_awaitable));
    char key = 0;
    ssize_t n = ec ? 0 : ::read(0, &key, 1);
    restore_terminal();
    prompting_ = false;
    if (finished_) co_return;
    bool yes = n == 1 && (key == 'y' || key == 'Y');
    write_all(2, yes ? "y\n" : "n\n");
    out_.release();
    if (yes)
      co_await stop_process();
    else
      detach();
  }

  asio::awaitable<void> watch_server() {
    UniqueFd fd = os::open_pidfd(server_pid_);
    if (!fd) co_return;
    asio::posix::stream_descriptor pidfd(ioc_, fd.release());
    auto [ec] = co_await pidfd.async_wait(asio::posix::descriptor_base::wait_read, asio::as_tuple(asio::use_awaitable));
    if (ec || finished_) co_return;
    // A shutdown sends the exits it caused before the server goes: take those first.
    co_await stream_ended_.wait_for(std::chrono::seconds(5));
    if (finished_) co_return;
    drain();
    out_.release();
    note("the server (PID " + std::to_string(server_pid_) + ") went away");
    finish(kExitNoServer);
  }

  void restore_terminal() {
    if (raw_) raw_->restore();
  }

  void finish(int code) {
    if (finished_) return;
    finished_ = true;
    restore_terminal();
    exit_code_ = code;
    if (!session_open_ || code == 3) return ioc_.stop();
    // End our session rather than leave it to expire in the server.
    asio::co_spawn(
        ioc_, [this]() -> asio::awaitable<void> { co_await events_.close(); }(),
        [this](std::exception_ptr) { ioc_.stop(); });
  }

  RunOptions o_;
  asio::io_context ioc_;
  LogFollower follower_;
  RunOutput out_;
  asio::signal_set signals_;
  EventSource events_;
  std::deque<json::object> queue_;  // events not yet acted on
  Event stream_ended_;
  bool ready_ = false;         // pid_ and the log are known: events can be acted on
  bool session_open_ = false;
  std::unique_ptr<RawMode> raw_;
  std::string display_;
  int server_pid_ = 0;
  int pid_ = 0;
  int exit_code_ = kExitFailed;
  bool finished_ = false;
  bool prompting_ = false;
  bool stopping_ = false;
};

}  // namespace

int run_command(const RunOptions& opts) {
  if (opts.argv.empty()) {
    note("run needs a PROGRAM");
    return kExitUsage;
  }
  Runner r(opts);
  return r.run();
}

}  // namespace pp::client
