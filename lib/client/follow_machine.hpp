// `output --follow` as a state machine (client/follow_command.hpp), built from
// `run`'s parts: its inbox and events (client/run_events.hpp), its sources
// (client/run_sources.hpp), its connect step and log follower.
//
//   connecting --Connected--> finding --Found--> catching_up --Backlog--> following
//   finding    --Found (ended)--> catching_up --Backlog--> done (its exit code)
//   following  --the process's exit--> done (its code)
//   following  --restart--> following, on the new instance's log from its first line
//   following, catching_up --Ctrl+C, SIGTERM, SIGHUP--> done (0)
//   connecting, finding --Ctrl+C, SIGTERM, SIGHUP--> done (130)
//   any --restart failed, server gone, Failed--> done
//
// The follower is in place before the last lines are asked for, so no line is
// lost between them; lines both hold (logged while the call was on its way) are
// shown once: the first lines the follower reads that repeat the backlog's end are
// dropped. Lifecycle events that come before the backlog wait for it.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/signal_set.hpp>
#include <string>
#include <vector>

#include "client/event_source.hpp"
#include "client/follow_command.hpp"
#include "client/log_follower.hpp"
#include "client/run_events.hpp"
#include "core/event.hpp"
#include "core/exit_codes.hpp"

namespace pp::client {

class FollowMachine {
 public:
  FollowMachine(const boost::asio::any_io_executor& ex, const FollowOptions& o);

  // Runs to the end; the exit code (client/follow_command.hpp). Call once.
  boost::asio::awaitable<int> run();

 private:
  enum class State { connecting, finding, catching_up, following, done };
  struct Dispatch;
  void on(LogGrew&);
  void on(ProcessExited& e);
  void on(ProcessRestarted& e);
  void on(RestartFailed& e);
  void on(ServerGone& e);
  void on(SignalCaught&);
  void on(Connected& e);
  void on(Found& e);
  void on(Backlog& e);
  void on(Failed& e) { end(e.exit_code, e.message); }
  template <class E>
  void on(E&) {}  // run's own events (input, stop)

  // Whether a lifecycle event about `pid` is for now; before the backlog it waits.
  bool concerns(const RunEvent& event, int pid);
  void follow(const std::string& log_combined, bool from_end);
  // Shows the lines read since the last call that pass the pattern; the first time
  // after the backlog, without those that repeat its end.
  void drain();
  void show(const std::string& line);
  void ended(int exit_code);
  void end(int exit_code, const std::string& message);
  template <class Awaitable>
  void spawn(Awaitable a);

  boost::asio::any_io_executor ex_;
  FollowOptions o_;
  Inbox inbox_;
  boost::asio::signal_set signals_;
  EventSource events_;
  Event stream_ended_;
  LogFollower follower_;
  std::vector<RunEvent> deferred_;
  std::vector<std::string> backlog_tail_;  // the backlog, until the first drain after it
  State state_ = State::connecting;
  Found found_;
  int exit_code_ = kExitFailed;
  bool close_session_ = false;
};

}  // namespace pp::client
