#include "client/run_machine.hpp"

#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <chrono>

#include "client/run_sources.hpp"
#include "client/run_steps.hpp"
#include "core/exit_codes.hpp"
#include "core/posix_io.hpp"
#include "core/shell_words.hpp"

namespace pp::client {

namespace asio = boost::asio;

RunMachine::RunMachine(const asio::any_io_executor& ex, const RunOptions& o)
    : ex_(ex),
      o_(o),
      display_(o.label ? *o.label : shell_join(o.argv)),
      inbox_(ex),
      signals_(ex, SIGINT, SIGTERM, SIGHUP),
      events_(ex, Endpoint{o.port, o.token, std::chrono::seconds(10)}),
      stream_ended_(ex),
      follower_(ex),
      out_(o.raw) {}

template <class Awaitable>
void RunMachine::spawn(Awaitable a) {
  asio::co_spawn(ex_, std::move(a), ToInbox{&inbox_});
}

asio::awaitable<int> RunMachine::run() {
  spawn(watch_signals(signals_, inbox_));
  spawn(connect(o_, events_));
  while (state_ != RunState::done) {
    RunEvent event = co_await inbox_.next();
    dispatch(event);
  }
  // End our session rather than leave it to expire in the server.
  if (close_session_) co_await events_.close();
  co_return exit_code_;
}

struct RunMachine::Dispatch {
  RunMachine* machine;
  template <class E>
  void operator()(E& event) const {
    machine->on(event);
  }
};

void RunMachine::dispatch(RunEvent& event) { std::visit(Dispatch{this}, event); }

void RunMachine::on(Connected& e) {
  if (state_ != RunState::connecting) return;
  state_ = RunState::starting;
  spawn(watch_server(e.server_pid, stream_ended_, inbox_));
  spawn(read_lifecycle(events_, stream_ended_, inbox_));
  spawn(find_or_start(o_));
}

void RunMachine::on(Found& e) {
  if (state_ != RunState::starting) return;
  pid_ = e.pid;
  state_ = RunState::following;
  follow(e.log_combined, e.attached);
  if (state_ == RunState::done) return;
  if (e.attached)
    note("attached to PID " + std::to_string(pid_) + " (" + e.label + "); Ctrl+C to " +
         (o_.on_exit == OnExit::stop ? "stop it" : o_.on_exit == OnExit::detach ? "detach" : "choose"));
  spawn(watch_log(follower_, inbox_));
  // Lifecycle events that came while starting apply now.
  std::vector<RunEvent> waiting = std::move(deferred_);
  deferred_.clear();
  for (RunEvent& event : waiting)
    if (state_ != RunState::done) dispatch(event);
  if (state_ != RunState::done) drain();
}

bool RunMachine::concerns(const RunEvent& event, int pid) {
  if (state_ == RunState::starting) {
    deferred_.push_back(event);
    return false;
  }
  bool showing = state_ == RunState::following || state_ == RunState::prompting || state_ == RunState::stopping;
  return showing && pid == pid_;
}

void RunMachine::on(LogGrew&) {
  if (state_ == RunState::following || state_ == RunState::prompting || state_ == RunState::stopping) drain();
}

void RunMachine::on(ProcessExited& e) {
  if (!concerns(e, e.pid)) return;
  drain();
  if (e.restarting) return;  // ProcessRestarted or RestartFailed follows
  out_.release();
  if (state_ == RunState::stopping)
    end(kExitOk, "stopped PID " + std::to_string(pid_) + " (" + describe_exit(e.exit_code) + ")");
  else
    end(shell_exit_code(e.exit_code), "process " + std::to_string(pid_) + " " + describe_exit(e.exit_code));
}

void RunMachine::on(ProcessRestarted& e) {
  if (!concerns(e, e.previous_pid)) return;
  drain();
  note("restarted: PID " + std::to_string(pid_) + " -> " + std::to_string(e.pid));
  pid_ = e.pid;
  follow(e.log_combined, false);
  if (state_ != RunState::done) drain();
}

void RunMachine::on(RestartFailed& e) {
  if (!concerns(e, e.pid)) return;
  drain();
  out_.release();
  end(kExitFailed, "restart failed: " + e.error);
}

void RunMachine::on(ServerGone& e) {
  drain();
  out_.release();
  end(kExitNoServer, "the server (PID " + std::to_string(e.server_pid) + ") went away");
}

void RunMachine::on(SignalCaught& e) {
  switch (state_) {
    case RunState::connecting:
    case RunState::starting:
      return end(kExitInterrupted, "interrupted");
    case RunState::prompting:  // (Ctrl+C at the prompt is a key: raw mode)
    case RunState::stopping:   // a second Ctrl+C while stopping
      return detach();
    case RunState::done:
      return;
    case RunState::following:
      break;
  }
  if (e.signal != SIGINT) return detach();  // SIGTERM, SIGHUP
  OnExit mode = o_.on_exit;
  if (mode == OnExit::ask && !is_terminal(0)) mode = OnExit::detach;
  if (mode == OnExit::detach) return detach();
  if (mode == OnExit::stop) return begin_stop();
  prompt();
}

void RunMachine::prompt() {
  state_ = RunState::prompting;
  out_.hold();
  raw_ = std::make_unique<RawMode>(0);
  write_all(2, "\nStop running process '" + display_ + "' (PID " + std::to_string(pid_) + ")? [y/N] ");
  spawn(read_key(0, inbox_));
}

void RunMachine::on(KeyPressed& e) {
  if (state_ != RunState::prompting) return;
  raw_.reset();
  bool yes = e.key == 'y' || e.key == 'Y';
  write_all(2, yes ? "y\n" : "n\n");
  out_.release();
  if (yes)
    begin_stop();
  else
    detach();
}

void RunMachine::begin_stop() {
  state_ = RunState::stopping;
  note("stopping PID " + std::to_string(pid_) + "...");
  spawn(stop_process(o_, pid_));
}

void RunMachine::detach() {
  raw_.reset();
  out_.release();
  end(kExitOk, "detached; PID " + std::to_string(pid_) + " keeps running in the server");
}

void RunMachine::follow(const std::string& log, bool from_end) {
  if (std::string err = follower_.follow(log, from_end); !err.empty()) end(kExitFailed, err);
}

void RunMachine::drain() {
  for (auto& line : follower_.read_lines()) out_.line(line.text);
}

void RunMachine::end(int exit_code, const std::string& message) {
  if (state_ == RunState::done) return;
  if (!message.empty()) note(message);
  raw_.reset();
  exit_code_ = exit_code;
  // The event stream's session is open once connected; a server that is gone has ended it.
  close_session_ = state_ != RunState::connecting && exit_code != kExitNoServer;
  state_ = RunState::done;
}

}  // namespace pp::client
