// A server's table filled with N long-running processes (the test helper's
// `pause`, labelled p0, p1, ...), started through MCP as an agent starts them,
// and the shutdown that ends them all.
#pragma once
#include <string>
#include <vector>

#include "common/session.hpp"
#include "common/timing.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

struct Started {
  std::vector<int> pids;
  double seconds = 0;  // the first call sent -> the last one answered
};

// n `ctrl start` calls spread over `sessions` MCP sessions, all at once (1: one
// after the other). Throws on any call's error.
Started start_helpers(const pp::test::Server& s, const std::string& cwd, int n, int sessions);

// A helper that prints "ready" and waits, labelled `label`; returns its pid once
// the line is in its log.
int start_ready(Session& sess, const std::string& cwd, const std::string& label);

// SIGKILL, then waits (pidfd) until the process is gone; when it was (getting a
// killed process off the CPU is the kernel's part, so latencies count from here).
Clock::time_point kill_and_await_death(int pid);

struct ShutdownTimes {
  double children_ms = 0;  // `persistproc shutdown` started -> the last of `pids` exited
  double server_ms = 0;    // -> the server exited
  double cli_ms = 0;       // -> the command returned
};

// Runs `persistproc shutdown` against s and awaits (pidfds) every one of `pids`,
// the server and the command. Throws if the command fails or a bound passes.
ShutdownTimes shutdown(pp::test::Server& s, const std::vector<int>& pids);

}  // namespace pp::bench
