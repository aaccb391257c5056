// Section "output": reading a large log (1 GiB; 60 MiB with --quick), the last 100
// lines and a pattern that matches nothing: `persistproc output` against `pm2 logs
// --nostream` (pm2 has no search), with `tail` and `grep` on the file as the limit,
// and the server's RSS growth over the calls. Rows: output_tail, output_tail_rss,
// output_grep, output_grep_rss.
#include <signal.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <functional>

#include "common/log_watch.hpp"
#include "common/procfs.hpp"
#include "common/timing.hpp"
#include "compare/bench.hpp"

namespace pp::bench {

namespace json = boost::json;

namespace {

// A flood line in persistproc's log is 125 bytes with its stamp, so the full run's
// count fills 1 GiB; the quick one's about 60 MiB.
constexpr long kStampedLine = kFloodLine + kPpStamp, kGiB = 1L << 30;
constexpr Scaled<long> kLines{(kGiB + kStampedLine - 1) / kStampedLine, 500'000};
constexpr Scaled<const char*> kSizeName{"1 GiB", "60 MiB"};
constexpr Scaled<int> kTailCalls{9, 3}, kGrepCalls{5, 2};
constexpr int kTail = 100;  // `output --lines 100`
constexpr std::chrono::seconds kIngestBound{900};
// Where the exit line is looked for: it ends the combined log.
constexpr long long kNearEnd = 1 << 20;
constexpr std::size_t kWriteBlock = 1 << 20;
const std::string kNoMatch = "no such text";

// pm2's log of the flood child's lines in its --time format, written here: reading
// it does not depend on who wrote it, and pm2 ingesting 1 GiB would take minutes
// (see the ingestion row).
void write_pm2_log(const std::string& path, long lines) {
  std::ofstream f(path, std::ios::app | std::ios::binary);
  std::string block;
  char head[64];  // room for any long
  for (long k = 1; k <= lines; ++k) {
    std::snprintf(head, sizeof head, "2026-01-01T00:00:00: %07ld ", k);
    block += head;
    block.append(kFloodLine - kFloodNumber - 1, 'x');  // as the flood child writes them
    block += '\n';
    if (block.size() > kWriteBlock) {
      f << block;
      block.clear();
    }
  }
  f << block;
}

// The server's peak RSS over `calls` beyond its RSS before them, in KiB.
double rss_growth_kib(int pid, const std::function<void()>& calls) {
  long before = rss_kib(pid);
  reset_hwm(pid);
  calls();
  return static_cast<double>(hwm_kib(pid) - before);
}

}  // namespace

void output(Bench& b) {
  progress("1 GiB log");
  long lines = b.pick(kLines);
  std::string size_name = b.pick(kSizeName);
  auto big = b.sess.call("ctrl", start_args(kFlood + " " + std::to_string(lines), b.work.path(), "big"));
  std::string big_log(big.at("log_combined").as_string());
  {
    std::string log(big.at("log_stdout").as_string());
    await_ready(log, "big");
    auto t0 = Clock::now();
    ::kill(as_int(big.at("pid")), SIGUSR1);
    if (!await_count(log, 0, "\n", lines + 1, kIngestBound)) throw std::runtime_error("big: lines missing");
    b.extra["big_log_ingest_s"] = ms_since(t0) / 1000;
    // The exit line ends the combined log: then it is complete. It lies after every line of output.
    long long near_end = std::max(0LL, file_size(big_log) - kNearEnd);
    if (!await_count(big_log, near_end, "[SYSTEM]", 1)) throw std::runtime_error("big: no exit line");
  }
  std::string pm2_log(b.pm2.start("big", pp::test::kHelper, {"out:ready", "pause"}).at("out").as_string());
  await_ready(pm2_log, "pm2 big");
  write_pm2_log(pm2_log, lines);
  b.extra["big_log_bytes"] =
      json::object{{"persistproc_combined", file_size(big_log)}, {"pm2_out", file_size(pm2_log)}};

  Measure tail{"output_tail", "`output --lines " + std::to_string(kTail) + "` on a " + size_name + " log (ms)"},
      tail_rss{"output_tail_rss", "… server RSS growth (KiB)"};
  Measure grep{"output_grep", "`output --grep` matching nothing, " + size_name + " log (ms)"},
      grep_rss{"output_grep_rss", "… server RSS growth (KiB)"};
  tail.peer_name = "`pm2 logs --lines " + std::to_string(kTail) + " --nostream`";
  tail.limit_name = "(`tail -n " + std::to_string(kTail) + "`)";
  grep.limit_name = "(`grep`, whole file)";
  std::string pid_arg = std::to_string(as_int(big.at("pid"))), n = std::to_string(kTail);
  tail_rss.pp = {rss_growth_kib(b.pp.pid(), [&] {
    for (int i = 0; i < b.pick(kTailCalls); ++i) {
      auto r = must(b.pp_cli({"output", "--lines", n, pid_arg}), "persistproc output");
      if (std::count(r.out.begin(), r.out.end(), '\n') != kTail) throw std::runtime_error("output: not " + n + " lines");
      tail.pp.push_back(r.ms);
      tail.peer.push_back(must(b.pm2.run({"logs", "big", "--lines", n, "--nostream", "--raw"}), "pm2 logs").ms);
      tail.limit.push_back(must(run_cmd({"tail", "-n", n, big_log}), "tail").ms);
    }
  })};
  grep_rss.pp = {rss_growth_kib(b.pp.pid(), [&] {
    for (int i = 0; i < b.pick(kGrepCalls); ++i) {
      auto r = b.pp_cli({"output", "--grep", kNoMatch, pid_arg});
      if (r.code != 0 || r.out.find("xxxxxxxx") != std::string::npos) throw std::runtime_error("output --grep: " + r.err);
      grep.pp.push_back(r.ms);
      auto g = run_cmd({"grep", kNoMatch, big_log});
      if (g.code != 1) throw std::runtime_error("grep found something");
      grep.limit.push_back(g.ms);
    }
  })};
  tail.prec = grep.prec = 1;
  tail_rss.prec = grep_rss.prec = 0;
  tail_rss.note = grep_rss.note = "(peak over the calls; pm2's daemon is not involved: its CLI reads the file)";
  grep.note = "(pm2 has no search)";
  b.rows.insert(b.rows.end(), {tail, tail_rss, grep, grep_rss});
  b.pm2.remove("big");
}

}  // namespace pp::bench
