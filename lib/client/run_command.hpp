// `persistproc run`: show a managed process in this terminal as if it ran here
// (SPEC §6). Attach to a running instance or start one; print its combined log
// as it grows; follow restarts; exit with its exit code; Ctrl+C per --on-exit.
//
// How `run` learns what happens, and why:
//  - output: inotify on the combined log through an Asio descriptor, then read
//    what was appended. The log is the record agents read too, so `run` shows
//    exactly it, from the first line when it started the process.
//  - exit and restart: from the `[SYSTEM]` lines in that same file. The exit line
//    says whether a restart follows, and the restart line names the new log, so
//    their order relative to the output is exact and a restart can never look
//    like an exit (no status polling, no race between two channels).
//  - the server going away: a pidfd on the server's pid.
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
};

// Returns the exit code for `run` (the process's own, 128+signal for a signal
// death, 0 after detach/stop, 1 on failure, 3 without a server).
int run_command(const RunOptions& opts);

}  // namespace pp::client
