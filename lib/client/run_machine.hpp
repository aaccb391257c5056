// `run` as a state machine (docs/cli.md#run). One loop takes every event from one
// inbox (client/run_events.hpp) and owns every transition; sources
// (client/run_sources.hpp) and server steps (client/run_steps.hpp) only report.
//
//   connecting --Connected--> starting --Found--> following
//   following  --Ctrl+C, --on-exit ask on a terminal--> prompting
//   prompting  --key y/Y--> stopping          prompting --key c/C--> following (Ctrl+C passed on)
//   prompting  --other key--> done (detached)
//   following  --Ctrl+C, --on-exit stop--> stopping
//   following  --Ctrl+C, --on-exit detach (or ask without a terminal)--> done (detached)
//   prompting, stopping --Ctrl+C, SIGTERM, SIGHUP--> done (detached)
//   following  --SIGTERM, SIGHUP--> done (detached)
//   connecting, starting --SIGINT, SIGTERM, SIGHUP--> done (exit 130)
//   following, prompting, stopping --the process's exit--> done (its code; 0 when stopping)
//   following, prompting, stopping --restart--> the same state, on the new instance
//   any --restart failed, server gone, Failed--> done
//
// Ctrl+C is SIGINT, or the byte 0x03 while the terminal is in raw mode. Once the
// process is known, what arrives on stdin goes to it (Typed → `ctrl input`): every
// key in raw mode when it runs on a PTY and stdin is our terminal, else whatever
// stdin delivers (lines, on a terminal). SIGWINCH sends our window size to its PTY.
//
// Lifecycle events that come while starting wait until the process is known. Before
// acting on one, the log is read to its end, so every line before an exit or a
// restart is shown first. In `done` the loop ends; the event stream's session and
// the input session are then ended (unless the server is gone), the terminal is
// restored, and run() returns the exit code.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/signal_set.hpp>
#include <memory>
#include <string>
#include <vector>

#include "client/event_source.hpp"
#include "client/log_follower.hpp"
#include "client/run_command.hpp"
#include "client/run_controls.hpp"
#include "client/run_events.hpp"
#include "client/run_output.hpp"
#include "client/stdin_reader.hpp"
#include "client/terminal.hpp"
#include "core/event.hpp"
#include "core/exit_codes.hpp"

namespace pp::client {

enum class RunState {
  connecting,  // asking the server for its pid, opening the event stream
  starting,    // finding the process or starting it
  following,   // showing the log as it grows
  prompting,   // asking whether to stop; lines are held
  stopping,    // a stop was asked for; the process's exit ends the run
  done,        // the outcome is known
};

class RunMachine {
 public:
  RunMachine(const boost::asio::any_io_executor& ex, const RunOptions& o);

  // Runs to the end; the exit code for `run` (docs/cli.md#run-exit). Call once.
  boost::asio::awaitable<int> run();

 private:
  struct Dispatch;  // calls on() for the event's type
  void dispatch(RunEvent& event);
  void on(LogGrew&);
  void on(ProcessExited& e);
  void on(ProcessRestarted& e);
  void on(RestartFailed& e);
  void on(ServerGone&);
  void on(SignalCaught& e);
  void on(Typed& e);
  void on(InputSent& e);
  void on(Connected& e);
  void on(Found& e);
  void on(StopAccepted&) {}
  void on(Backlog&) {}  // output --follow's
  void on(Failed& e) { end(e.exit_code, e.message); }

  // Whether a lifecycle event about `pid` is for now; one that comes while starting
  // is kept for later.
  bool concerns(const RunEvent& event, int pid);
  // Follows the process's `.tty` log as bytes when there is one and stdout is a
  // terminal (and not --raw), else its combined log as lines.
  void follow(const std::string& log_combined, const std::string& log_tty, bool from_end);
  void drain();
  // Raw mode and stdin forwarding, once the process is known.
  void start_input(bool attached);
  void forward(std::string_view bytes);
  void let_reader_on();
  void window_changed();
  void interrupt();  // Ctrl+C
  void prompt();
  void answer(std::optional<char> key);
  void end_prompt();
  void begin_stop();
  void detach();
  void end(int exit_code, const std::string& message);
  template <class Awaitable>
  void spawn(Awaitable a);

  boost::asio::any_io_executor ex_;
  RunOptions o_;
  std::string display_;  // how the prompt names the process: its label or command
  Inbox inbox_;
  boost::asio::signal_set signals_;
  EventSource events_;
  Event stream_ended_;
  LogFollower follower_;
  RunOutput out_;
  RunControls controls_;
  std::unique_ptr<StdinReader> reader_;
  std::unique_ptr<RawMode> raw_;  // while keys go to the process, or while prompting
  std::vector<RunEvent> deferred_;
  bool interactive_;     // stdin is a terminal we are the foreground job of
  bool screen_;          // stdout is a terminal
  bool keys_raw_ = false;  // raw mode, every key forwarded, for the whole run
  bool tty_process_ = false;
  bool terminal_view_ = false;  // showing the `.tty` log's bytes
  bool reader_held_ = false;    // waits until the input sent catches up
  std::string last_input_error_;
  RunState state_ = RunState::connecting;
  int pid_ = 0;
  int exit_code_ = kExitFailed;
  bool close_session_ = false;
};

}  // namespace pp::client
