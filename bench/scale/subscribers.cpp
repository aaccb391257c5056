// Section "subscribers": N clients each hold an event stream open (the client
// library's EventSource: an MCP session and its GET stream, as `run` holds one);
// one managed child is SIGKILLed; from its death (pidfd) to each subscriber
// receiving its `exited` notification, p50/p99/max over every subscriber of every
// round, and the server's CPU per notification delivered. All subscribers are read
// by this one thread, so a late one's figure includes reading the others first.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <memory>

#include "client/event_source.hpp"
#include "common/procfs.hpp"
#include "common/session.hpp"
#include "common/stats.hpp"
#include "common/timing.hpp"
#include "scale/fleet.hpp"
#include "scale/scale.hpp"

namespace pp::bench {

namespace asio = boost::asio;
namespace json = boost::json;
using pp::client::EventSource;

namespace {

constexpr int kRounds = 10, kQuickRounds = 3;
// docs/security.md: the server keeps at most 512 connections open; a subscriber
// holds two (its session's and its stream's), and this harness a few of its own.
constexpr int kConnectionCap = 512, kConnectionsEach = 2, kOwnConnections = 4;
constexpr std::chrono::seconds kBound{60};
constexpr double kP99 = 0.99;

// The round being measured: which pid's exit, and when each subscriber heard of it.
struct Round {
  long pid = 0;
  std::vector<Clock::time_point> at;
  std::size_t heard = 0;
  std::size_t ended = 0;  // listeners that returned (their stream ended) or failed
};

asio::awaitable<void> listen(EventSource& es, Round& round, std::size_t me) {
  for (;;) {
    auto ev = co_await es.next();
    if (!ev) co_return;
    auto* e = ev->if_contains("event");
    auto* p = ev->if_contains("pid");
    if (e && *e == "exited" && p && p->is_int64() && p->as_int64() == round.pid &&
        round.at[me] == Clock::time_point{}) {
      round.at[me] = Clock::now();
      ++round.heard;
    }
  }
}

// Runs ioc until done() or the bound; throws, saying what, at the bound.
template <class Done>
void run_until(asio::io_context& ioc, Done done, const std::string& what) {
  auto deadline = Clock::now() + kBound;
  while (!done()) {
    if (Clock::now() >= deadline) throw std::runtime_error(what + " within " + std::to_string(kBound.count()) + " s");
    if (ioc.stopped()) ioc.restart();  // it stops whenever it runs out of work, as between the phases
    ioc.run_one_until(deadline);
  }
}

}  // namespace

void subscribers(Scale& sc) {
  Grid& g = sc.grids.emplace_back();  // filled where it stands: a failure midway still prints it
  g.key = "subscribers";
  g.size_name = "subscribers";
  g.sizes = sc.sizes;
  int rounds = sc.pick_rounds(kRounds, kQuickRounds);
  g.caption = "**Event-stream subscribers**: one child SIGKILLed, its death (pidfd) → each subscriber has the "
              "`exited` notification; " + std::to_string(rounds) + " rounds";
  GridRow& p50 = g.row("fanout_p50", "death → notification at a subscriber, p50 over all (ms)", 3);
  GridRow& p99 = g.row("fanout_p99", "the same, p99 (ms)", 3);
  GridRow& last = g.row("fanout_last", "the same, the last subscriber, median over rounds (ms)", 3);
  GridRow& cpu = g.row("fanout_cpu", "server CPU per notification delivered, median over rounds (µs)", 1);
  GridRow& open = g.row("open_ms", "opening every subscriber's session and stream, all at once (ms)", 1);
  g.notes.push_back("One thread reads every subscriber, so the last one's figure includes reading the others first.");
  for (int n : sc.sizes) {
    if (n * kConnectionsEach + kOwnConnections > kConnectionCap) {
      g.skipped[n] = "each subscriber holds 2 connections and the server keeps at most " +
                     std::to_string(kConnectionCap) + " open (docs/security.md)";
      continue;
    }
    progress("subscribers: " + std::to_string(n));
    pp::test::TempDir work;
    pp::test::Server s({"-q"});
    Session sess(s.port(), s.token());
    asio::io_context ioc;
    pp::client::Endpoint ep{s.port(), s.token(), std::chrono::seconds(120)};
    std::vector<std::unique_ptr<EventSource>> subs;
    for (int i = 0; i < n; ++i) subs.push_back(std::make_unique<EventSource>(ioc.get_executor(), ep));
    std::size_t opened = 0;
    std::exception_ptr failed;
    auto t_open = Clock::now();
    for (auto& es : subs)
      asio::co_spawn(ioc, es->open(), [&](std::exception_ptr e) {
        if (e && !failed) failed = e;
        ++opened;
      });
    run_until(ioc, [&] { return opened == subs.size(); }, "subscribers not open");
    if (failed) std::rethrow_exception(failed);
    open.figure[n] = ms_since(t_open);

    Round round;
    round.at.resize(subs.size());
    for (std::size_t i = 0; i < subs.size(); ++i)
      asio::co_spawn(ioc, listen(*subs[i], round, i), [&](std::exception_ptr) { ++round.ended; });
    std::vector<double> all, lasts, cpus;
    for (int r = 0; r < rounds; ++r) {
      int pid = start_ready(sess, work.path(), "fan" + std::to_string(r));
      round.pid = pid;
      round.heard = 0;
      std::fill(round.at.begin(), round.at.end(), Clock::time_point{});
      double cpu0 = run_seconds(s.pid());
      auto dead = kill_and_await_death(pid);
      run_until(ioc, [&] { return round.heard == subs.size(); }, "not every subscriber heard of the exit");
      cpus.push_back((run_seconds(s.pid()) - cpu0) * 1e6 / n);
      double latest = 0;
      for (auto t : round.at) {
        all.push_back(ms_between(dead, t));
        latest = std::max(latest, all.back());
      }
      lasts.push_back(latest);
    }
    p50.figure[n] = median(all);
    p50.samples[n] = all;
    p99.figure[n] = quantile(all, kP99);
    last.figure[n] = median(lasts);
    last.samples[n] = lasts;
    cpu.figure[n] = median(cpus);
    cpu.samples[n] = cpus;
    // The server ends every stream as it shuts down, so every listener returns.
    s.terminate();
    run_until(ioc, [&] { return round.ended == subs.size(); }, "subscribers' streams not ended");
  }
}

}  // namespace pp::bench
