// Section "mcp": MCP throughput, kClients sessions each making kCalls `tools/call
// list` in a row, all at once, against persistproc and the MCP TypeScript SDK's
// Streamable HTTP server (sdk_server.mjs). One thread drives every client, so the
// client is the same for both servers. Rows: mcp_calls_per_s, mcp_p50, mcp_p99, mcp_errors.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "common/procfs.hpp"
#include "common/stats.hpp"
#include "common/timing.hpp"
#include "compare/bench.hpp"

namespace pp::bench {

namespace json = boost::json;
namespace asio = boost::asio;
using pp::client::McpClient;

namespace {

constexpr int kClients = 32, kCalls = 200;
constexpr Scaled<int> kRounds{3, 1};
constexpr double kP50 = 0.5, kP99 = 0.99;
constexpr double kRatioTarget = 5;  // the issue's: at least 5 times the SDK server's calls/s
constexpr std::chrono::seconds kRequestBound{60};

struct Load {
  double calls_per_s = 0, p50 = 0, p99 = 0;
  long errors = 0;
};

asio::awaitable<void> open_client(McpClient& c, long& errors) {
  try {
    co_await c.open();
  } catch (const std::exception&) {
    ++errors;
  }
}

asio::awaitable<void> call_loop(McpClient& c, std::vector<double>& lat, long& errors) {
  for (int i = 0; i < kCalls; ++i) {
    auto t0 = Clock::now();
    try {
      json::object r = co_await c.call_tool("list", {});
      if (!r.contains("processes")) ++errors;
    } catch (const std::exception&) {
      ++errors;
    }
    lat.push_back(ms_since(t0));
  }
}

// Sessions opened first, then the calls, timed; then the sessions closed.
Load mcp_load(int port, std::optional<std::string> token) {
  asio::io_context ioc;
  std::vector<std::unique_ptr<McpClient>> cs;
  Load r;
  pp::client::Endpoint ep{port, token, kRequestBound};
  for (int i = 0; i < kClients; ++i) cs.push_back(std::make_unique<McpClient>(ioc.get_executor(), ep));
  auto run_each = [&](auto&& coroutine) {
    for (auto& c : cs) asio::co_spawn(ioc, coroutine(*c), asio::detached);
    ioc.restart();
    ioc.run();
  };
  run_each([&](McpClient& c) { return open_client(c, r.errors); });
  std::vector<double> lat;
  lat.reserve(static_cast<std::size_t>(kClients * kCalls));
  auto t0 = Clock::now();
  run_each([&](McpClient& c) { return call_loop(c, lat, r.errors); });
  double s = ms_since(t0) / 1000;
  run_each([](McpClient& c) { return c.close(); });
  r.calls_per_s = static_cast<double>(lat.size()) / s;
  r.p50 = quantile(lat, kP50);
  r.p99 = quantile(lat, kP99);
  return r;
}

}  // namespace

void mcp(Bench& b) {
  progress("MCP throughput");
  Measure tput{"mcp_calls_per_s", "MCP: " + std::to_string(kClients) + " clients × " + std::to_string(kCalls) +
                                       " `tools/call list`, calls/s"};
  Measure p50{"mcp_p50", "MCP: per-call latency p50 (ms)"}, p99{"mcp_p99", "MCP: per-call latency p99 (ms)"};
  Measure errs{"mcp_errors", "MCP: errors"};
  {
    pp::test::Server fresh({"-q"});  // an empty table, as the SDK peer's tool answers
    Child sdk({b.pm2.node, b.npm + "/sdk_server.mjs"}, {});
    std::string line = sdk.read_line();  // "listening on http://127.0.0.1:<port>/mcp/"
    int sdk_port = std::atoi(line.c_str() + line.rfind(':') + 1);
    for (int round = 0; round < b.pick(kRounds); ++round) {
      Load a = mcp_load(fresh.port(), fresh.token());
      Load z = mcp_load(sdk_port, std::nullopt);
      tput.pp.push_back(a.calls_per_s);
      tput.peer.push_back(z.calls_per_s);
      p50.pp.push_back(a.p50);
      p50.peer.push_back(z.p50);
      p99.pp.push_back(a.p99);
      p99.peer.push_back(z.p99);
      errs.pp.push_back(static_cast<double>(a.errors));
      errs.peer.push_back(static_cast<double>(z.errors));
    }
    b.extra["mcp_rss_after_kib"] = json::object{{"persistproc", rss_kib(fresh.pid())}, {"sdk_server", rss_kib(sdk.pid())}};
  }
  for (auto* m : {&tput, &p50, &p99, &errs}) m->peer_name = "MCP TS SDK server";
  tput.prec = errs.prec = 0;
  p50.prec = p99.prec = 3;
  tput.target = "ratio ≥ " + num(kRatioTarget, 0);
  tput.met = ratio(tput) >= kRatioTarget;
  errs.target = "0";
  errs.met = highest(errs.pp) == 0;
  errs.note = "(per round)";
  b.rows.insert(b.rows.end(), {tput, p50, p99, errs});
}

}  // namespace pp::bench
