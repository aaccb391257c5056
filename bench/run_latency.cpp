// pp_bench_run_latency: the `run` issue's figures, side by side with a baseline.
//  1. child writes a line -> the line is on run's terminal (200 lines: median, p99);
//     baseline: the same child writing straight to a pseudo-terminal.
//  2. `restart` returns -> the new instance's first line on run's terminal (20 times);
//     baseline: starting the same child directly in a pseudo-terminal until its first line.
#include <signal.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <cstdio>

#include "client/mcp_client.hpp"
#include "support/pty_process.hpp"
#include "support/test_support.hpp"

using namespace pp::test;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string summary(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))]; };
  char buf[160];
  std::snprintf(buf, sizeof buf, "median %.3f ms, p99 %.3f ms (min %.3f, max %.3f, n=%zu)", at(0.5), at(0.99), v.front(),
                v.back(), v.size());
  return buf;
}

// Time from SIGUSR1 to the child's line showing on the terminal of `p`.
std::vector<double> tick_latency(PtyProcess& p, int child, int n) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    std::size_t mark = p.transcript().size();
    auto t0 = Clock::now();
    ::kill(child, SIGUSR1);
    if (!p.await_output("tick\r\n", mark)) throw std::runtime_error("tick not seen");
    out.push_back(ms_since(t0));
  }
  return out;
}

}  // namespace

int main() {
  Server s({"-q"});
  TempDir cwd;
  std::map<std::string, std::string> env = {{"PERSISTPROC_PORT", std::to_string(s.port())}, {"PERSISTPROC_FORMAT", ""},
                                            {"PERSISTPROC_DATA_DIR", s.data_dir()}};

  PtyProcess run({kBin, "run", "--on-exit", "detach", "--label", "bench", kHelper, "usr1:tick", "out:ready", "pause"},
                 env, cwd.path());
  if (!run.await_output("ready\r\n")) return 1;
  boost::asio::io_context ioc;
  pp::client::McpClient c(ioc.get_executor(), {s.port(), s.token()});
  run_co(ioc, c.open());
  json::object q;
  q["command_or_label"] = "bench";
  auto procs = run_co(ioc, c.call_tool("list", q));
  int child = static_cast<int>(procs.at("processes").at(0).at("pid").as_int64());

  PtyProcess direct({kHelper, "usr1:tick", "out:ready", "pause"}, {}, cwd.path());
  if (!direct.await_output("ready\r\n")) return 1;

  std::printf("line -> terminal via run:      %s\n", summary(tick_latency(run, child, 200)).c_str());
  std::printf("line -> terminal directly:     %s\n", summary(tick_latency(direct, direct.pid(), 200)).c_str());

  std::vector<double> restart_ms, start_ms;
  for (int i = 0; i < 20; ++i) {
    json::object r;
    r["action"] = "restart";
    r["command_or_label"] = "bench";
    std::size_t mark = run.transcript().size();
    run_co(ioc, c.call_tool("ctrl", r));
    auto t0 = Clock::now();
    if (!run.await_output("ready\r\n", mark)) return 1;
    restart_ms.push_back(ms_since(t0));

    auto t1 = Clock::now();
    PtyProcess fresh({kHelper, "out:ready", "pause"}, {}, cwd.path());
    if (!fresh.await_output("ready\r\n")) return 1;
    start_ms.push_back(ms_since(t1));
  }
  std::printf("restart returned -> first line via run: %s\n", summary(restart_ms).c_str());
  std::printf("baseline: spawn child -> first line:    %s\n", summary(start_ms).c_str());
  run_co(ioc, c.close());
  return 0;
}
