#include "client/run_command.hpp"

#include <signal.h>
#include <sys/syscall.h>
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
#include <memory>

#include "client/call.hpp"
#include "client/log_follower.hpp"
#include "client/terminal.hpp"
#include "core/shell_words.hpp"
#include "core/system_lines.hpp"
#include "core/timestamp.hpp"

extern char** environ;

namespace pp::client {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

void write_out(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stdout gone: nothing sensible to do but carry on
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

void note(const std::string& text) { write_out(2, "persistproc: " + text + "\n"); }

// A shell's convention: a death by signal N is 128+N.
int shell_code(int exit_code) { return exit_code < 0 ? 128 - exit_code : exit_code; }

std::string describe_exit(int code) {
  return code < 0 ? "was terminated by signal " + std::to_string(-code) : "exited with code " + std::to_string(code);
}

class Runner {
 public:
  explicit Runner(const RunOptions& o)
      : o_(o), follower_(ioc_.get_executor()), signals_(ioc_, SIGINT, SIGTERM, SIGHUP) {}

  int run() {
    ::signal(SIGPIPE, SIG_IGN);
    asio::co_spawn(ioc_, main(), [this](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        note(std::string("error: ") + ex.what());
      }
      finish(1);
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
      finish(3);
      return false;
    }
    if (r.kind != CallOutcome::ok) {
      note(r.message);
      finish(1);
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
        co_return finish(1);
      }
      running.reset();
    }
    std::string log;
    if (running) {
      pid_ = static_cast<int>(running->at("pid").as_int64());
      log = std::string(running->at("log_combined").as_string());
      if (std::string err = follower_.follow(log, true); !err.empty()) {
        note(err);
        co_return finish(1);
      }
      note("attached to PID " + std::to_string(pid_) + " (" + std::string(running->at("label").as_string()) +
           "); Ctrl+C to " + (o_.on_exit == OnExit::stop ? "stop it" : o_.on_exit == OnExit::detach ? "detach" : "choose"));
      // It may have exited or restarted between the lookup and the watch: then its
      // [SYSTEM] line lies before our starting point. Ask again, and if so re-read
      // the log from the start without showing it, acting only on those lines.
      json::object again;
      again["pid"] = pid_;
      auto r = co_await call("list", std::move(again));
      if (!reached(r)) co_return;
      auto& procs = r.result.at("processes").as_array();
      if (procs.empty() || procs[0].at("status") != "running") {
        silent_until_ = follower_.position();
        follower_.follow(log, false);
      }
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
        co_return finish(1);
      }
      pid_ = static_cast<int>(r.result.at("pid").as_int64());
      log = std::string(r.result.at("log_combined").as_string());
      // From the first line: the log was created before `start` answered.
      if (std::string err = follower_.follow(log, false); !err.empty()) {
        note(err);
        co_return finish(1);
      }
    }
    while (!finished_) {
      drain();
      if (finished_) break;
      co_await follower_.changed();
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
    for (auto& line : follower_.read_lines()) {
      handle(line.text, line.end > silent_until_);
      if (finished_) return;
    }
  }

  // `visible` is false for lines re-read only to find a [SYSTEM] event.
  void handle(const std::string& line, bool visible = true) {
    std::string_view text = line;
    if (parse_line_stamp(line) && line.size() > kStampLen) text.remove_prefix(kStampLen + 1);
    auto ev = parse_system_text(text);
    if (!ev) {
      if (visible) show(o_.raw ? std::string_view(line) : unescape_output(text));
      return;
    }
    if (o_.raw && visible) show(line);
    switch (ev->kind) {
      case SystemEvent::started:
        break;
      case SystemEvent::exited:
        if (ev->restarting) break;  // the restart line follows in this same file
        flush_held();
        if (stopping_) {
          note("stopped PID " + std::to_string(pid_) + " (" + describe_exit(ev->exit_code) + ")");
          finish(0);
        } else {
          note("process " + std::to_string(pid_) + " " + describe_exit(ev->exit_code));
          finish(shell_code(ev->exit_code));
        }
        break;
      case SystemEvent::restarted: {
        note("restarted: PID " + std::to_string(pid_) + " -> " + std::to_string(ev->new_pid));
        pid_ = ev->new_pid;
        silent_until_ = 0;
        if (std::string err = follower_.follow(ev->path, false); !err.empty()) {
          note(err);
          finish(1);
        }
        break;
      }
      case SystemEvent::restart_failed:
        flush_held();
        note("restart failed: " + ev->error);
        finish(1);
        break;
    }
  }

  void show(std::string_view text) {
    std::string s(text);
    s.push_back('\n');
    if (prompting_)
      held_ += s;  // printed once the question is answered
    else
      write_out(1, s);
  }

  void flush_held() {
    if (held_.empty()) return;
    write_out(1, held_);
    held_.clear();
  }

  asio::awaitable<void> watch_signals() {
    for (;;) {
      auto [ec, sig] = co_await signals_.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec || finished_) co_return;
      if (pid_ <= 0) {
        note("interrupted");
        co_return finish(130);
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
    flush_held();
    note("detached; PID " + std::to_string(pid_) + " keeps running in the server");
    finish(0);
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
      finish(1);
    }
  }

  asio::awaitable<void> ask() {
    prompting_ = true;
    raw_ = std::make_unique<RawMode>(0);
    write_out(2, "\nStop running process '" + display_ + "' (PID " + std::to_string(pid_) + ")? [y/N] ");
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
    write_out(2, yes ? "y\n" : "n\n");
    flush_held();
    if (yes)
      co_await stop_process();
    else
      detach();
  }

  asio::awaitable<void> watch_server() {
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, server_pid_, 0));
    if (fd < 0) co_return;
    asio::posix::stream_descriptor pidfd(ioc_, fd);
    auto [ec] = co_await pidfd.async_wait(asio::posix::descriptor_base::wait_read, asio::as_tuple(asio::use_awaitable));
    if (ec || finished_) co_return;
    drain();  // a shutdown writes the exit line before the server goes
    if (finished_) co_return;
    flush_held();
    note("the server (PID " + std::to_string(server_pid_) + ") went away");
    finish(3);
  }

  void restore_terminal() {
    if (raw_) raw_->restore();
  }

  void finish(int code) {
    if (finished_) return;
    finished_ = true;
    restore_terminal();
    exit_code_ = code;
    ioc_.stop();
  }

  RunOptions o_;
  asio::io_context ioc_;
  LogFollower follower_;
  asio::signal_set signals_;
  std::unique_ptr<RawMode> raw_;
  std::string display_;
  std::string held_;
  std::uint64_t silent_until_ = 0;  // lines ending at or before this offset are not shown
  int server_pid_ = 0;
  int pid_ = 0;
  int exit_code_ = 1;
  bool finished_ = false;
  bool prompting_ = false;
  bool stopping_ = false;
};

}  // namespace

int run_command(const RunOptions& opts) {
  if (opts.argv.empty()) {
    note("run needs a PROGRAM");
    return 2;
  }
  Runner r(opts);
  return r.run();
}

}  // namespace pp::client
