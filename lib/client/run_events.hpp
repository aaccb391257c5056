// What `run` reacts to, as values, and the one inbox through which they reach its
// state machine (client/run_machine.hpp). Sources (client/run_sources.hpp) and
// server steps (client/run_steps.hpp) post events; only the machine acts on them.
// Events are taken in the order they were posted.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <deque>
#include <exception>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/event.hpp"
#include "core/exit_codes.hpp"

namespace pp::client {

// The combined log may have grown or rotated.
struct LogGrew {};
// Lifecycle events from the server's event stream (docs/mcp.md#notifications).
// Each is sent once the log it concerns has its last line.
struct ProcessExited {
  int pid = 0;
  int exit_code = 0;        // negative: killed by that signal
  bool restarting = false;  // ProcessRestarted or RestartFailed follows
  std::optional<double> restart_in_s = std::nullopt;  // restarting by its restart policy: after this wait
};
struct ProcessRestarted {
  int previous_pid = 0;
  int pid = 0;
  std::string log_combined;
  std::string log_tty;  // "" for a process on pipes
};
struct RestartFailed {
  int pid = 0;
  std::string error;
};
// The server's process ended (and its event stream with it, or 5 s passed).
struct ServerGone {
  int server_pid = 0;
};
// SIGINT, SIGTERM, SIGHUP or SIGWINCH reached `run`.
struct SignalCaught {
  int signal = 0;
};
// What arrived on stdin (keys, on a terminal in raw mode); none at its end.
struct Typed {
  std::optional<std::string> bytes;
};
// An input call is done; `error` says why it was refused, or is empty.
struct InputSent {
  std::string error;
};
// The server answered and the event stream is open: every later event arrives.
struct Connected {
  int server_pid = 0;
};
// The process to follow: the running one attached to, or the one just started.
struct Found {
  int pid = 0;
  std::string log_combined;
  std::string log_tty;    // the raw terminal log of a process on a PTY, else ""
  bool attached = false;  // follow from the log's end, not its start
  std::string label;
  // `output --follow` finds ended processes too (`run` only running ones): how it ended.
  bool ended = false;
  std::optional<int> exit_code;  // none for an entry left over without one
};
// `output --follow`: the last lines asked for, read once the log was being followed.
struct Backlog {
  std::vector<std::string> lines;  // as logged, each with its '\n'
};
// The server accepted `ctrl stop`: the process's exit follows.
struct StopAccepted {};
// The run cannot go on: a refused call, no server, an exception in a coroutine.
struct Failed {
  int exit_code = kExitFailed;
  std::string message;  // shown as "persistproc: <message>"
};

using RunEvent = std::variant<LogGrew, ProcessExited, ProcessRestarted, RestartFailed, ServerGone, SignalCaught,
                              Typed, InputSent, Connected, Found, Backlog, StopAccepted, Failed>;

class Inbox {
 public:
  explicit Inbox(boost::asio::any_io_executor ex) : arrived_(std::move(ex)) {}

  void post(RunEvent event) {
    queue_.push_back(std::move(event));
    arrived_.notify();
  }
  // The oldest event not yet taken, once there is one. One taker: the machine's loop.
  boost::asio::awaitable<RunEvent> next();

 private:
  std::deque<RunEvent> queue_;
  Pulse arrived_;
};

// "error: <what>" for an exception that ended a coroutine.
std::string failure_text(std::exception_ptr e);

// The completion handler for every co_spawn of a source or a step: its result, or
// its exception as Failed (exit 1), goes to the inbox, so no exception is dropped.
struct ToInbox {
  Inbox* inbox;
  void operator()(std::exception_ptr e) const;
  void operator()(std::exception_ptr e, RunEvent result) const;
};

}  // namespace pp::client
