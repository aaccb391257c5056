// Section "memory": the supervisor's RSS idle and with kManaged processes, and
// the CLI round trip (`list` against `pm2 jlist`) with those processes in each
// table. Rows: cli_list, rss_idle, rss_20.
#include <boost/json.hpp>

#include "common/procfs.hpp"
#include "compare/bench.hpp"

namespace pp::bench {

namespace {

constexpr int kManaged = 20;
// `sleep` arguments: distinct, so each process gets a label of its own, and longer than any run.
constexpr long kSleepBase = 100000;
constexpr Scaled<int> kCliCalls{30, 6};
// The targets: persistproc's figure at most this fraction of pm2's.
constexpr double kRssRatio = 0.15, kCliRatio = 0.12;
constexpr double kKibPerMib = 1024;

std::string sleep_arg(int i) { return std::to_string(kSleepBase + i); }

// Both daemons' RSS, one sample more in each cell.
void sample_rss(Bench& b, Measure& m) {
  m.pp.push_back(static_cast<double>(rss_kib(b.pp.pid())) / kKibPerMib);
  m.peer.push_back(static_cast<double>(rss_kib(b.pm2.god())) / kKibPerMib);
}

}  // namespace

void memory(Bench& b) {
  progress("memory");
  Measure idle{"rss_idle", "supervisor RSS idle (MiB)"};
  sample_rss(b, idle);
  for (int i = 0; i < kManaged; ++i) {
    b.sess.call("ctrl", start_args("sleep " + sleep_arg(i), b.work.path()));
    b.pm2.start("sleep" + std::to_string(i), "sleep", {sleep_arg(i)});
  }
  Measure busy{"rss_20", "supervisor RSS with " + std::to_string(kManaged) + " processes (MiB)"};
  sample_rss(b, busy);

  progress("CLI round trip");
  Measure cli{"cli_list", "CLI round trip: `list` vs `pm2 jlist` (ms)"};
  cli.peer_name = "`pm2 jlist`";
  cli.limit_name = "(`/bin/true`)";
  for (int i = 0; i < b.pick(kCliCalls); ++i) {
    cli.pp.push_back(must(b.pp_cli({"list"}), "persistproc list").ms);
    cli.peer.push_back(must(b.pm2.run({"jlist"}), "pm2 jlist").ms);
    cli.limit.push_back(must(run_cmd({"/bin/true"}), "/bin/true").ms);
  }
  cli.target = "ratio ≤ " + num(kCliRatio, 2);
  cli.met = ratio(cli) <= kCliRatio;
  sample_rss(b, busy);  // and once more after the list calls

  for (auto* m : {&idle, &busy}) {
    m->peer_name = "pm2 daemon";
    m->target = "ratio ≤ " + num(kRssRatio, 2);
    m->met = ratio(*m) <= kRssRatio;
    m->prec = 1;
  }
  b.rows.insert(b.rows.end(), {cli, idle, busy});
  for (int i = 0; i < kManaged; ++i) {
    b.sess.call("ctrl", {{"action", "stop"}, {"command_or_label", "sleep " + sleep_arg(i)}, {"force", true}});
    b.pm2.remove("sleep" + std::to_string(i));
  }
}

}  // namespace pp::bench
