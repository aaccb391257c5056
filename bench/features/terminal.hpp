// pp_bench_features' terminal figures (issue: programs run as if in a terminal).
#pragma once
#include <vector>

#include "common/session.hpp"
#include "common/table.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

// A key typed into `run`'s terminal -> the child on the server's PTY reads it
// (stamped by the child with CLOCK_MONOTONIC): median and p99, against the same
// child reading straight from a terminal.
std::vector<Measure> key_latency(const pp::test::Server& s, const std::string& cwd);

// 1,000,000 lines of 100 B with SGR colours on each, ingested from a PTY against
// the same lines from a pipe: until the last line is in the stdout log, and the
// server's CPU seconds. The limit: the kernel's PTY alone, read and discarded.
std::vector<Measure> tty_ingestion(Session& sess, int server_pid, const std::string& cwd);

}  // namespace pp::bench
