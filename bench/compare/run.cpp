// Section "run": `run` display latency, the child writes a line -> the line is on
// the terminal: `persistproc run` against `pm2 logs --raw`, and the child writing
// straight to a terminal as the limit. Rows: run_latency_p50, run_latency_p99.
#include <signal.h>

#include <boost/json.hpp>

#include "common/log_watch.hpp"
#include "common/stats.hpp"
#include "common/timing.hpp"
#include "compare/bench.hpp"
#include "support/pty_process.hpp"

namespace pp::bench {

namespace json = boost::json;
using pp::test::kHelper;
using pp::test::PtyProcess;

namespace {

constexpr Scaled<int> kTicks{200, 40};
// pm2 logs streams from the daemon's bus once subscribed; ticks until then are not
// sent to it, so it is ticked up to kAttachTries times, a second each, until one shows.
constexpr int kAttachTries = 50;
constexpr std::chrono::seconds kAttachWait{1};
constexpr double kP50 = 0.5, kP99 = 0.99;
// The test helper: "tick" on SIGUSR1, "ready" once that is set up.
const std::vector<std::string> kTicker = {"usr1:tick", "out:ready", "pause"};

// SIGUSR1 to the child -> "tick" on the terminal of `p`, in ms.
double tick(PtyProcess& p, int child) {
  std::size_t mark = p.transcript().size();
  auto t0 = Clock::now();
  ::kill(child, SIGUSR1);
  if (!p.await_output("tick\r\n", mark)) throw std::runtime_error("tick not seen");
  return ms_since(t0);
}

void await_attached(PtyProcess& logs, int child) {
  for (int i = 0; i < kAttachTries; ++i) {
    std::size_t mark = logs.transcript().size();
    ::kill(child, SIGUSR1);
    if (logs.await_output("tick\r\n", mark, kAttachWait)) return;
  }
  throw std::runtime_error("pm2 logs did not attach: exit " + std::to_string(logs.wait_exit(kAttachWait)) + " " +
                           logs.transcript());
}

// `argv` with the ticking helper's actions after it.
std::vector<std::string> ticker(std::vector<std::string> argv) {
  argv.insert(argv.end(), kTicker.begin(), kTicker.end());
  return argv;
}

}  // namespace

void run_latency(Bench& b) {
  progress("run display latency");
  PtyProcess run(ticker({pp::test::kBin, "run", "--on-exit", "detach", "--label", "tick", kHelper}), b.pp_env,
                 b.work.path());
  if (!run.await_output("ready\r\n")) throw std::runtime_error("run: no ready");
  int pp_child = as_int(b.sess.call("list", {{"command_or_label", "tick"}}).at("processes").at(0).at("pid"));
  auto r = b.pm2.start("tick", kHelper, kTicker);
  int pm2_child = as_int(r.at("pid"));
  await_ready(std::string(r.at("out").as_string()), "pm2 tick");  // its SIGUSR1 handler is set
  PtyProcess logs({b.pm2.node, b.pm2.cli, "logs", "tick", "--raw", "--lines", "0"}, b.pm2.env(), b.work.path());
  await_attached(logs, pm2_child);
  PtyProcess direct(ticker({kHelper}), {}, b.work.path());
  if (!direct.await_output("ready\r\n")) throw std::runtime_error("direct: no ready");

  std::vector<double> via_run, via_pm2, straight;
  for (int i = 0; i < b.pick(kTicks); ++i) {
    via_run.push_back(tick(run, pp_child));
    via_pm2.push_back(tick(logs, pm2_child));
    straight.push_back(tick(direct, direct.pid()));
  }
  Measure lat50{"run_latency_p50", "`run` display latency, median (ms)"},
      lat99{"run_latency_p99", "`run` display latency, p99 (ms)"};
  for (auto [m, q] : {std::pair{&lat50, kP50}, std::pair{&lat99, kP99}}) {
    m->pp = {quantile(via_run, q)};
    m->peer = {quantile(via_pm2, q)};
    m->limit = {quantile(straight, q)};
    m->peer_name = "`pm2 logs --raw`";
    m->limit_name = "(straight to a terminal)";
    m->prec = 3;
    m->note = "(n=" + std::to_string(b.pick(kTicks)) + " each)";
  }
  b.extra["run_latency_samples"] = json::object{{"persistproc", json::value_from(via_run)},
                                                {"pm2_logs", json::value_from(via_pm2)},
                                                {"direct", json::value_from(straight)}};
  b.pm2.remove("tick");
  b.rows.insert(b.rows.end(), {lat50, lat99});
}

}  // namespace pp::bench
