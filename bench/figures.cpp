// pp_bench_figures: the core issue's figures, measured on this machine against a
// fresh `persistproc serve --port 0`:
//   server RSS idle and with 20 managed processes; wall time of `persistproc list`
//   (median of 20); child exit -> `exited` visible to a client (median of 20);
//   `output --lines 100` on a ~1 GiB log vs a ~1 MiB log, with server RSS around it.
// Usage: pp_bench_figures [log_bytes]   (default 1 GiB)
#include <signal.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>

#include "client/mcp_client.hpp"
#include "support/test_support.hpp"

using namespace pp::test;
namespace json = boost::json;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

long rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string summary(const std::vector<double>& v) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "median %.2f ms (min %.2f, max %.2f, n=%zu)", median(v),
                *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()), v.size());
  return buf;
}

// One MCP session kept open for the latency loop, like an agent's.
struct Session {
  asio::io_context ioc;
  pp::client::McpClient c;
  Session(int port, std::string token) : c(ioc.get_executor(), {port, std::move(token)}) { run(c.open()); }
  template <class T>
  T run(asio::awaitable<T> aw) {
    return run_co(ioc, std::move(aw));
  }
  json::object call(const std::string& tool, json::object args) { return run(c.call_tool(tool, std::move(args))); }
};

json::object start_args(const std::string& cmd, const std::string& cwd) {
  return {{"action", "start"}, {"command_or_label", cmd}, {"working_directory", cwd}};
}

}  // namespace

int main(int argc, char** argv) {
  unsigned long long log_bytes = argc > 1 ? std::stoull(argv[1]) : (1ull << 30);
  Server s({"-q", "--max-log-size", "0"});  // a 1 GiB log, not one rotated at the 64 MiB default
  TempDir work;
  std::printf("server pid %d, port %d\n", s.pid(), s.port());
  std::printf("RSS idle: %ld KiB\n", rss_kib(s.pid()));

  Session sess(s.port(), s.token());
  // Distinct arguments, so each gets its own default label.
  for (int i = 0; i < 20; ++i) sess.call("ctrl", start_args("sleep " + std::to_string(100000 + i), work.path()));
  std::printf("RSS with %zu managed processes: %ld KiB\n",
              sess.call("list", {}).at("processes").as_array().size(), rss_kib(s.pid()));

  std::vector<double> list_ms;
  for (int i = 0; i < 20; ++i) {
    auto t0 = Clock::now();
    auto r = s.cli({"list"});
    list_ms.push_back(ms_since(t0));
    if (r.exit_code != 0) std::printf("list failed: %s\n", r.err.c_str());
  }
  std::printf("persistproc list wall time: %s\n", summary(list_ms).c_str());
  // Baseline, side by side: starting any process at all costs this much here.
  std::vector<double> true_ms;
  for (int i = 0; i < 20; ++i) {
    auto t0 = Clock::now();
    run_program({"/bin/true"});
    true_ms.push_back(ms_since(t0));
  }
  std::printf("baseline /bin/true wall time: %s; list/true ratio %.2f\n", summary(true_ms).c_str(),
              median(list_ms) / median(true_ms));

  std::vector<double> exit_ms;
  int extra_calls = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = sess.call("ctrl", start_args(kHelper + " out:ready pause x" + std::to_string(i), work.path()));
    int pid = static_cast<int>(r.at("pid").as_int64());
    await_file_contains(std::string(r.at("log_combined").as_string()), "Z ready\n");
    auto t0 = Clock::now();
    ::kill(pid, SIGKILL);
    for (;;) {
      auto l = sess.call("list", {{"pid", pid}});
      if (l.at("processes").at(0).at("status") != "running") break;
      ++extra_calls;
    }
    exit_ms.push_back(ms_since(t0));
  }
  std::printf("child exit -> list shows exited: %s (list calls that still saw running: %d)\n",
              summary(exit_ms).c_str(), extra_calls);

  // Logs of ~1 MiB and ~log_bytes: 100-byte lines from `yes | head`, 125 bytes each with the stamp.
  auto big_log = [&](unsigned long long bytes, const std::string& tag) {
    unsigned long long lines = bytes / 125;
    std::string cmd = "sh -c 'yes " + std::string(99, 'x') + " | head -n " + std::to_string(lines) + "; echo " + tag + "'";
    auto r = sess.call("ctrl", start_args(cmd, work.path()));
    int pid = static_cast<int>(r.at("pid").as_int64());
    auto t0 = Clock::now();
    await_pid_exit(pid, std::chrono::hours(1));
    while (sess.call("list", {{"pid", pid}}).at("processes").at(0).at("status") == "running") {
    }
    std::printf("ingested %llu lines (%s) in %.0f ms\n", lines, tag.c_str(), ms_since(t0));
    return pid;
  };
  int small = big_log(1ull << 20, "small");
  int big = big_log(log_bytes, "big");
  for (auto [pid, name] : {std::pair{small, "~1 MiB"}, std::pair{big, "~1 GiB"}}) {
    long before = rss_kib(s.pid());
    std::vector<double> ms;
    for (int i = 0; i < 9; ++i) {
      auto t0 = Clock::now();
      auto r = s.cli({"output", "--lines", "100", std::to_string(pid)});
      ms.push_back(ms_since(t0));
      if (r.exit_code != 0 || std::count(r.out.begin(), r.out.end(), '\n') != 100) std::printf("output failed\n");
    }
    std::printf("output --lines 100 on the %s log: %s; server RSS %ld -> %ld KiB\n", name, summary(ms).c_str(), before,
                rss_kib(s.pid()));
  }
  return 0;
}
