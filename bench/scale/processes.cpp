// Sections "processes" and "latency": for each table size N, a fresh server with
// N running processes. "processes": start throughput (one session, one call after
// the other; and kStartSessions sessions at once, on a second server), the
// server's RSS per managed process, `list`'s server CPU per call, and `shutdown`
// -> every child exited. "latency": issue 16's item 5 with the table that size
// (scale/latency.hpp).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <memory>

#include "common/procfs.hpp"
#include "common/session.hpp"
#include "common/stats.hpp"
#include "common/timing.hpp"
#include "scale/fleet.hpp"
#include "scale/latency.hpp"
#include "scale/scale.hpp"

namespace pp::bench {

namespace asio = boost::asio;
namespace json = boost::json;
using pp::client::McpClient;

namespace {

constexpr int kStartSessions = 4;
constexpr int kListSessions = 4, kListCalls = 50, kQuickListCalls = 10;
constexpr int kLatencyRounds = 30, kQuickLatencyRounds = 8;
constexpr double kLatencyTargetMs = 1;  // issue 16, item 5: p50 < 1 ms
constexpr double kP99 = 0.99;

struct ListFigures {
  double cpu_us_per_call = 0, calls_per_s = 0;
  std::vector<double> latencies;
  long errors = 0;
};

// kListSessions sessions calling `list` at once: the server's CPU per call (user +
// system from /proc, fair however busy this load generator is).
ListFigures list_cost(const pp::test::Server& s, int calls) {
  asio::io_context ioc;
  pp::client::Endpoint ep{s.port(), s.token(), std::chrono::seconds(120)};
  std::vector<std::unique_ptr<McpClient>> cs;
  for (int i = 0; i < kListSessions; ++i) cs.push_back(std::make_unique<McpClient>(ioc.get_executor(), ep));
  ListFigures f;
  double cpu0 = run_seconds(s.pid());
  auto t0 = Clock::now();
  for (auto& c : cs) asio::co_spawn(ioc, list_calls(*c, calls, f.latencies, f.errors), asio::detached);
  ioc.run();
  double wall = ms_since(t0) / 1000;
  auto n = static_cast<double>(f.latencies.size());
  f.cpu_us_per_call = (run_seconds(s.pid()) - cpu0) * 1e6 / n;
  f.calls_per_s = n / wall;
  return f;
}

void add(GridRow& r, int n, double figure, std::vector<double> samples = {}) {
  r.figure[n] = figure;
  if (!samples.empty()) r.samples[n] = std::move(samples);
}

void latency_cells(Grid& g, int n, const LatencySamples& l) {
  struct {
    const std::vector<double>& v;
    const char* key;
    const char* what;
  } kinds[] = {{l.exit_list, "exit_list", "child's death (pidfd) → visible in `list`"},
               {l.exit_event, "exit_event", "child's death (pidfd) → `exited` notification on the stream"},
               {l.wait_for, "wait_for", "`wait_for`: matching line written → `ctrl start` returned"}};
  std::size_t at = 0;
  for (const auto& k : kinds) {
    GridRow& p50 = g.rows[at++];
    GridRow& p99 = g.rows[at++];
    if (p50.key.empty()) {
      p50.key = std::string(k.key) + "_p50";
      p50.title = std::string(k.what) + ", p50 (ms)";
      p50.prec = 3;
      p50.below = kLatencyTargetMs;
      p50.target = "< 1 ms";
      p99.key = std::string(k.key) + "_p99";
      p99.title = std::string(k.what) + ", p99 (ms)";
      p99.prec = 3;
    }
    add(p50, n, median(k.v), k.v);
    add(p99, n, quantile(k.v, kP99));
  }
}

}  // namespace

void processes_and_latency(Scale& sc, bool processes, bool latency) {
  // Filled where they stand in sc.grids, so a failure midway still prints what was measured.
  Grid unused_proc, unused_lat;
  Grid& proc = processes ? sc.grids.emplace_back() : unused_proc;
  Grid& lat = latency ? sc.grids.emplace_back() : unused_lat;
  proc.key = "processes";
  proc.size_name = lat.size_name = "N";
  proc.sizes = lat.sizes = sc.sizes;
  lat.key = "latency";
  lat.rows.resize(6);
  proc.caption = "**Managed processes**: N running processes (the test helper's `pause`) in one server's table";
  GridRow& seq = proc.row("start_sequential", "`ctrl start`, one session, one call after another (processes/s)", 0);
  GridRow& conc = proc.row("start_concurrent",
                           "`ctrl start`, " + std::to_string(kStartSessions) + " sessions at once (processes/s)", 0);
  GridRow& rss = proc.row("rss_per_process", "server RSS per managed process (KiB)", 1);
  GridRow& rss_total = proc.row("rss_total", "server RSS with N running (MiB)", 1);
  GridRow& lcpu = proc.row("list_cpu", "`list`: server CPU per call (µs)", 0);
  GridRow& lrate = proc.row("list_rate", "`list`: calls/s", 0);
  GridRow& lp99 = proc.row("list_p99", "`list`: p99 call latency (ms)", 2);
  GridRow& shut_children = proc.row("shutdown_children", "`persistproc shutdown` → all N children exited (ms)", 1);
  GridRow& shut_server = proc.row("shutdown_server", "`persistproc shutdown` → the server exited (ms)", 1);
  int calls = sc.pick(kListCalls, kQuickListCalls);
  proc.notes.push_back("`list`: " + std::to_string(kListSessions) + " sessions × " + std::to_string(calls) +
                       " calls at once. `shutdown` rows: median of the two servers (sequential and concurrent starts).");

  int rounds = sc.pick_rounds(kLatencyRounds, kQuickLatencyRounds);
  lat.caption = "**Exit and event latency** (issue 16, item 5), with N other processes running; " +
                std::to_string(rounds) + " rounds each";
  lat.notes.push_back(
      "`list` is called with the child's pid, as fast as answers come, from its death on; the stream is one MCP "
      "session's GET stream; `wait_for` starts a helper whose line `ready <CLOCK_MONOTONIC ns>` is stamped as it is "
      "written.");
  json::object still_running;

  for (int n : sc.sizes) {
    progress("processes: N = " + std::to_string(n));
    pp::test::TempDir work;
    {
      pp::test::Server s({"-q"});
      Session sess(s.port(), s.token());
      sess.call("list", {});  // the first call's one-time allocations are not the table's
      long rss0 = rss_kib(s.pid());
      Started st = start_helpers(s, work.path(), n, 1);
      long rss1 = rss_kib(s.pid());
      add(seq, n, n / st.seconds);
      add(rss, n, static_cast<double>(rss1 - rss0) / n);
      add(rss_total, n, static_cast<double>(rss1) / 1024);
      if (processes) {
        ListFigures lf = list_cost(s, calls);
        add(lcpu, n, lf.cpu_us_per_call);
        add(lrate, n, lf.calls_per_s);
        add(lp99, n, quantile(lf.latencies, kP99), lf.latencies);
        if (lf.errors) proc.notes.push_back("N = " + std::to_string(n) + ": " + std::to_string(lf.errors) +
                                            " `list` calls failed");
      }
      if (latency) {
        progress("latency: N = " + std::to_string(n));
        LatencySamples l = latency_rounds(s, sess, work.path(), rounds);
        latency_cells(lat, n, l);
        still_running[std::to_string(n)] = l.list_still_running;
      }
      ShutdownTimes t = shutdown(s, st.pids);
      shut_children.samples[n].push_back(t.children_ms);
      shut_server.samples[n].push_back(t.server_ms);
    }
    if (!processes) continue;
    pp::test::Server s({"-q"});
    Started st = start_helpers(s, work.path(), n, kStartSessions);
    add(conc, n, n / st.seconds);
    ShutdownTimes t = shutdown(s, st.pids);
    shut_children.samples[n].push_back(t.children_ms);
    shut_server.samples[n].push_back(t.server_ms);
    shut_children.figure[n] = median(shut_children.samples[n]);
    shut_server.figure[n] = median(shut_server.samples[n]);
  }
  if (latency) {
    lat.notes.push_back("`list` answers that still said running, by N: " + json::serialize(still_running));
    sc.extra["latency_list_still_running"] = still_running;
  }
}

}  // namespace pp::bench
