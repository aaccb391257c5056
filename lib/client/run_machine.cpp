#include "client/run_machine.hpp"

#include <fcntl.h>
#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <chrono>
#include <cstdio>

#include "client/run_sources.hpp"
#include "client/run_steps.hpp"
#include "core/exit_codes.hpp"
#include "core/posix_io.hpp"
#include "core/shell_words.hpp"

namespace pp::client {

namespace asio = boost::asio;

namespace {
constexpr char kCtrlC = '\x03';
// Input not yet sent past which stdin is not read further until it is.
constexpr std::size_t kInputBacklog = 64 * 1024;

std::optional<WindowSize> our_window() {
  if (auto size = window_size(1)) return size;
  return window_size(0);
}

// Whether stdin is open (a closed fd 0 is possible for a daemonised caller).
bool stdin_open() { return ::fcntl(0, F_GETFL) != -1; }
}  // namespace

RunMachine::RunMachine(const asio::any_io_executor& ex, const RunOptions& o)
    : ex_(ex),
      o_(o),
      display_(o.label ? *o.label : shell_join(o.argv)),
      inbox_(ex),
      signals_(ex, SIGINT, SIGTERM, SIGHUP),
      events_(ex, Endpoint{o.port, o.token, std::chrono::seconds(10)}),
      stream_ended_(ex),
      follower_(ex),
      out_(o.raw),
      controls_(ex, Endpoint{o.port, o.token, std::chrono::seconds(10)}, inbox_),
      interactive_(is_foreground_terminal(0)),
      screen_(is_terminal(1)) {
  signals_.add(SIGWINCH);
  if (!o_.tty) o_.tty = interactive_ && screen_;
  if (*o_.tty)
    if (auto size = our_window()) {
      o_.columns = size->columns;
      o_.rows = size->rows;
    }
}

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
  // End our sessions rather than leave them to expire in the server.
  if (close_session_) {
    co_await controls_.close();
    co_await events_.close();
  }
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
  controls_.target(pid_);
  state_ = RunState::following;
  follow(e.log_combined, e.log_tty, e.attached);
  if (state_ == RunState::done) return;
  if (e.attached)
    out_.say("attached to PID " + std::to_string(pid_) + " (" + e.label + "); Ctrl+C to " +
             (o_.on_exit == OnExit::stop ? "stop it" : o_.on_exit == OnExit::detach ? "detach" : "choose"));
  start_input(e.attached);
  spawn(watch_log(follower_, inbox_));
  // Lifecycle events that came while starting apply now.
  std::vector<RunEvent> waiting = std::move(deferred_);
  deferred_.clear();
  for (RunEvent& event : waiting)
    if (state_ != RunState::done) dispatch(event);
  if (state_ != RunState::done) drain();
}

void RunMachine::start_input(bool attached) {
  if (interactive_ && tty_process_) {
    raw_ = std::make_unique<RawMode>(0, terminal_view_);
    keys_raw_ = raw_->active();
    out_.set_crlf(keys_raw_ && terminal_view_);
    // The most recent terminal to attach sets the size, as a resize would.
    if (attached) window_changed();
  }
  // A terminal we are not the foreground job of is not read: that would stop us.
  if (!stdin_open() || (is_terminal(0) && !interactive_)) return;
  reader_ = std::make_unique<StdinReader>(ex_, 0, [this](std::optional<std::string> bytes) {
    inbox_.post(Typed{std::move(bytes)});
  });
  reader_->start();
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
  // While prompting the log keeps what comes; it is shown once the question is answered.
  if (state_ == RunState::following || state_ == RunState::stopping) drain();
}

void RunMachine::on(ProcessExited& e) {
  if (!concerns(e, e.pid)) return;
  drain();
  if (e.restarting) {  // ProcessRestarted or RestartFailed follows
    if (e.restart_in_s) {
      char wait[32];
      std::snprintf(wait, sizeof wait, "%.1f s", *e.restart_in_s);
      out_.say("process " + std::to_string(pid_) + " " + describe_exit(e.exit_code) +
               "; its restart policy starts it again in " + wait);
    }
    return;
  }
  end_prompt();
  if (state_ == RunState::stopping)
    end(kExitOk, "stopped PID " + std::to_string(pid_) + " (" + describe_exit(e.exit_code) + ")");
  else
    end(shell_exit_code(e.exit_code), "process " + std::to_string(pid_) + " " + describe_exit(e.exit_code));
}

void RunMachine::on(ProcessRestarted& e) {
  if (!concerns(e, e.previous_pid)) return;
  drain();
  out_.say("restarted: PID " + std::to_string(pid_) + " -> " + std::to_string(e.pid));
  pid_ = e.pid;
  controls_.target(pid_);
  follow(e.log_combined, e.log_tty, false);
  if (state_ != RunState::done && state_ != RunState::prompting) drain();
}

void RunMachine::on(RestartFailed& e) {
  if (!concerns(e, e.pid)) return;
  drain();
  end_prompt();
  // Our stop came while its restart policy waited to start it again: that wait is over.
  if (state_ == RunState::stopping) return end(kExitOk, "stopped PID " + std::to_string(pid_) + " before its restart");
  end(kExitFailed, "restart failed: " + e.error);
}

void RunMachine::on(ServerGone& e) {
  drain();
  end_prompt();
  end(kExitNoServer, "the server (PID " + std::to_string(e.server_pid) + ") went away");
}

void RunMachine::on(SignalCaught& e) {
  if (e.signal == SIGWINCH) return window_changed();
  if (e.signal == SIGINT) return interrupt();
  switch (state_) {  // SIGTERM, SIGHUP
    case RunState::connecting:
    case RunState::starting:
      return end(kExitInterrupted, "interrupted");
    case RunState::done:
      return;
    default:
      return detach();
  }
}

void RunMachine::interrupt() {
  switch (state_) {
    case RunState::connecting:
    case RunState::starting:
      return end(kExitInterrupted, "interrupted");
    case RunState::prompting:  // Ctrl+C at the prompt
    case RunState::stopping:   // a second Ctrl+C while stopping
      return detach();
    case RunState::done:
      return;
    case RunState::following:
      break;
  }
  OnExit mode = o_.on_exit;
  // Asking needs the terminal, and stdin read to hear the answer.
  if (mode == OnExit::ask && (!interactive_ || !reader_)) mode = OnExit::detach;
  if (mode == OnExit::detach) return detach();
  if (mode == OnExit::stop) return begin_stop();
  prompt();
}

void RunMachine::on(Typed& e) {
  if (!e.bytes) {  // end of input: the process's own input stays open
    reader_.reset();
    if (state_ == RunState::prompting) answer(std::nullopt);
    return;
  }
  if (e.bytes->empty()) {  // Ctrl+D on a terminal: it can go on, unless it hung up
    if (is_foreground_terminal(0))
      let_reader_on();
    else
      reader_.reset();
    return;
  }
  std::string_view rest = *e.bytes;
  while (!rest.empty()) {
    if (state_ == RunState::prompting) {
      answer(rest.front());
      rest.remove_prefix(1);
      continue;
    }
    if (state_ != RunState::following && state_ != RunState::stopping) break;
    std::size_t cc = keys_raw_ ? rest.find(kCtrlC) : std::string_view::npos;
    // While stopping the process takes no more input; only Ctrl+C still counts.
    if (state_ == RunState::following) forward(rest.substr(0, cc));
    if (cc == std::string_view::npos) break;
    rest.remove_prefix(cc + 1);
    interrupt();
  }
  let_reader_on();
}

void RunMachine::forward(std::string_view bytes) {
  if (!bytes.empty()) controls_.input(bytes);
}

void RunMachine::let_reader_on() {
  if (!reader_) return;
  reader_held_ = controls_.waiting() >= kInputBacklog;
  if (!reader_held_) reader_->more();
}

void RunMachine::on(InputSent& e) {
  if (state_ == RunState::done) return;
  // Said once per reason: a process that does not read would otherwise fill the screen.
  if (!e.error.empty() && e.error != last_input_error_) out_.say("input not delivered: " + e.error);
  last_input_error_ = e.error;
  if (reader_held_) let_reader_on();
}

void RunMachine::window_changed() {
  bool showing = state_ == RunState::following || state_ == RunState::prompting || state_ == RunState::stopping;
  if (!showing || !tty_process_ || !interactive_) return;
  if (auto size = our_window()) controls_.resize(*size);
}

void RunMachine::prompt() {
  state_ = RunState::prompting;
  out_.hold();
  if (!raw_) raw_ = std::make_unique<RawMode>(0);
  out_.ask("\nStop running process '" + display_ + "' (PID " + std::to_string(pid_) +
           ")? [y/N, c: pass Ctrl+C on to it] ");
  reader_->more();
}

void RunMachine::answer(std::optional<char> key) {
  bool yes = key == 'y' || key == 'Y';
  bool pass_on = key == 'c' || key == 'C';
  out_.ask(yes ? "y\n" : pass_on ? "c\n" : "n\n");
  if (!keys_raw_) raw_.reset();
  state_ = RunState::following;
  out_.release();
  drain();
  if (yes) return begin_stop();
  if (!pass_on) return detach();
  // On a PTY the byte does what Ctrl+C does in a terminal: SIGINT to its foreground
  // job, or the byte itself to a program in raw mode.
  if (tty_process_)
    controls_.input(std::string(1, kCtrlC));
  else
    controls_.signal("INT");
}

void RunMachine::end_prompt() {
  if (state_ != RunState::prompting) return;
  out_.ask("\n");
  if (!keys_raw_) raw_.reset();
  state_ = RunState::following;
  out_.release();
}

void RunMachine::begin_stop() {
  state_ = RunState::stopping;
  out_.say("stopping PID " + std::to_string(pid_) + "...");
  spawn(stop_process(o_, pid_));
}

void RunMachine::detach() {
  end_prompt();
  end(kExitOk, "detached; PID " + std::to_string(pid_) + " keeps running in the server");
}

void RunMachine::follow(const std::string& log_combined, const std::string& log_tty, bool from_end) {
  tty_process_ = !log_tty.empty();
  terminal_view_ = tty_process_ && screen_ && !o_.raw;
  const std::string& log = terminal_view_ ? log_tty : log_combined;
  if (std::string err = follower_.follow(log, from_end, terminal_view_); !err.empty()) end(kExitFailed, err);
}

void RunMachine::drain() {
  if (terminal_view_) return out_.bytes(follower_.read_bytes());
  for (auto& line : follower_.read_lines()) out_.line(line.text);
}

void RunMachine::end(int exit_code, const std::string& message) {
  if (state_ == RunState::done) return;
  out_.release();
  if (!message.empty()) out_.say(message);
  reader_.reset();
  raw_.reset();
  out_.set_crlf(false);
  exit_code_ = exit_code;
  // The event stream's session is open once connected; a server that is gone has ended it.
  close_session_ = state_ != RunState::connecting && exit_code != kExitNoServer;
  state_ = RunState::done;
}

}  // namespace pp::client
