// `run` as a state machine (docs/cli.md#run). One loop takes every event from one
// inbox (client/run_events.hpp) and owns every transition; sources
// (client/run_sources.hpp) and server steps (client/run_steps.hpp) only report.
//
//   connecting --Connected--> starting --Found--> following
//   following  --SIGINT, --on-exit ask on a terminal--> prompting
//   prompting  --key y/Y--> stopping          prompting --other key--> done (detached)
//   following  --SIGINT, --on-exit stop--> stopping
//   following  --SIGINT, --on-exit detach (or ask without a terminal)--> done (detached)
//   prompting, stopping --any signal--> done (detached)
//   following  --SIGTERM, SIGHUP--> done (detached)
//   connecting, starting --any signal--> done (exit 130)
//   following, prompting, stopping --the process's exit--> done (its code; 0 when stopping)
//   following, prompting, stopping --restart--> the same state, on the new instance
//   any --restart failed, server gone, Failed--> done
//
// Lifecycle events that come while starting wait until the process is known. Before
// acting on one, the log is read to its end, so every line before an exit or a
// restart is shown first. In `done` the loop ends; the event stream's session is
// then ended (unless the server is gone), and run() returns the exit code.
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
#include "client/run_events.hpp"
#include "client/run_output.hpp"
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
  void on(KeyPressed& e);
  void on(Connected& e);
  void on(Found& e);
  void on(StopAccepted&) {}
  void on(Failed& e) { end(e.exit_code, e.message); }

  // Whether a lifecycle event about `pid` is for now; one that comes while starting
  // is kept for later.
  bool concerns(const RunEvent& event, int pid);
  void follow(const std::string& log, bool from_end);
  void drain();
  void prompt();
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
  std::unique_ptr<RawMode> raw_;  // while prompting
  std::vector<RunEvent> deferred_;
  RunState state_ = RunState::connecting;
  int pid_ = 0;
  int exit_code_ = kExitFailed;
  bool close_session_ = false;
};

}  // namespace pp::client
