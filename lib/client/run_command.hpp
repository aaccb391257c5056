// `persistproc run`: show a managed process in this terminal as if it ran here
// (docs/cli.md#run). Attach to a running instance or start one; print its combined log
// as it grows; follow restarts; exit with its exit code; Ctrl+C per --on-exit.
//
// How `run` learns what happens, and why:
//  - output: inotify on the combined log through an Asio descriptor, then read
//    what was appended. The log is the record agents read too, so `run` shows
//    exactly it, from the first line when it started the process.
//  - exit and restart: lifecycle events on the server's MCP event stream (SSE),
//    opened before the process is looked up or started, so none is missed. The
//    server sends each once the log it concerns is complete, and an exit that a
//    restart follows says so; `run` reads the log to its end before acting, so
//    the order against the output is exact and a restart never looks like an exit.
//  - the server going away: a pidfd on the server's pid, then the stream's end.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace pp::client {

enum class OnExit { ask, stop, detach };

struct RunOptions {
  int port = 8947;
  std::optional<std::string> token;
  std::vector<std::string> argv;  // PROGRAM [ARGS...]
  std::string cwd;                // the caller's, absolute
  std::optional<std::string> label;
  bool fresh = false;
  bool raw = false;
  OnExit on_exit = OnExit::ask;
  // Start the process on a PTY: --tty / --no-tty; by default when stdin and stdout
  // are a terminal we are in the foreground of. The machine settles it before starting.
  std::optional<bool> tty;
  int columns = 0, rows = 0;  // the PTY's size; 0: the server's default
};

// Returns the exit code for `run` (docs/cli.md#run-exit; core/exit_codes.hpp): the
// process's own, 128+signal for a signal death, 0 after detach or stop, 1 on a
// failure, 2 without a PROGRAM, 3 without a server, 130 when interrupted before the
// process was known. The steps are client/run_machine.hpp's.
int run_command(const RunOptions& opts);

}  // namespace pp::client
