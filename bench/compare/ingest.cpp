// Section "ingest": log ingestion, kFloodLines lines of 100 bytes as fast as the
// flood child can write them, into persistproc's logs, pm2's `--time` log and, as
// the limit, a plain redirection into a file. The child stays alive after its last
// line (`stay`), so what is timed is ingestion alone; the same child exiting at
// once is the last row: how many lines are on disk when the exit is reported.
// Rows: ingest_time, ingest_cpu, ingest_kept_at_exit.
#include <signal.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/log_watch.hpp"
#include "common/procfs.hpp"
#include "common/stats.hpp"
#include "common/timing.hpp"
#include "compare/bench.hpp"

namespace pp::bench {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr Scaled<int> kRounds{3, 1};
constexpr Scaled<long> kFloodLines{1'000'000, 100'000};
constexpr Scaled<const char*> kFloodName{"1,000,000", "100,000"};
constexpr std::chrono::seconds kIngestBound{120};
// After the exit is reported, how long late writes may still land.
constexpr std::chrono::seconds kLateWrites{5};
// The target: below pm2 and at most this many times the limit.
constexpr double kLimitFactor = 3;

// Lines of a flood log that hold line k of the child intact, in order, behind a
// time stamp of `stamp` bytes; the rest were broken or lost.
json::object check_flood_log(const std::string& who, const std::string& path, std::size_t stamp) {
  long intact = 0, damaged = 0, next = 1;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() >= stamp && line.compare(stamp, std::string::npos, "ready") == 0) continue;
    char want[24];
    std::snprintf(want, sizeof want, "%07ld ", next);
    bool ok = line.size() == stamp + kFloodLine - 1 && line.compare(stamp, kFloodNumber, want) == 0 &&
              line.find_first_not_of('x', stamp + kFloodNumber) == std::string::npos;
    if (ok) {
      ++intact;
      ++next;
    } else {
      ++damaged;
      if (line.size() >= stamp + kFloodNumber) next = std::atol(line.c_str() + stamp) + 1;
    }
  }
  return {{"who", who}, {"intact", intact}, {"damaged", damaged}};
}

// A flood child started and ready to write: its stdout log and its pid.
struct Flood {
  std::string log;
  int pid;
};

Flood pp_flood(Bench& b, const std::string& label, const std::string& args) {
  auto r = b.sess.call("ctrl", start_args(kFlood + " " + args, b.work.path(), label));
  Flood f{std::string(r.at("log_stdout").as_string()), as_int(r.at("pid"))};
  await_ready(f.log, "flood " + label);
  return f;
}

Flood pm2_flood(Bench& b, const std::string& name, const std::vector<std::string>& args) {
  auto r = b.pm2.start(name, kFlood, args);
  Flood f{std::string(r.at("out").as_string()), as_int(r.at("pid"))};
  await_ready(f.log, "pm2 flood " + name);
  return f;
}

// SIGUSR1 sets the ready child writing; seconds until all `lines` are in its log.
double write_all(const Flood& f, long lines) {
  auto t0 = Clock::now();
  ::kill(f.pid, SIGUSR1);
  long seen = 0;
  if (!await_count(f.log, 0, "\n", lines + 1, kIngestBound, &seen))  // + 1: the ready line
    throw std::runtime_error(std::to_string(seen) + " of " + std::to_string(lines + 1) + " lines in " + f.log +
                             " after " + std::to_string(kIngestBound.count()) + " s");
  return ms_since(t0) / 1000;
}

// The child's lines in its log now, or once all are there, within kLateWrites.
double lines_on_disk(const Flood& f, long lines) {
  long seen = 0;
  await_count(f.log, 0, "\n", lines + 1, kLateWrites, &seen);
  return static_cast<double>(seen - 1);  // not the ready line
}

void ingestion(Bench& b, long lines, const std::string& name) {
  progress("log ingestion");
  Measure ing{"ingest_time", "log ingestion, " + name + " lines × 100 B: until the last line is on disk, stamped (s)"};
  Measure cpu{"ingest_cpu", "log ingestion: supervisor CPU (s)"};
  ing.peer_name = cpu.peer_name = "pm2 `--time`";
  ing.limit_name = "(child > file, no stamps)";
  json::array intact;
  std::string n_arg = std::to_string(lines);
  for (int round = 0; round < b.pick(kRounds); ++round) {
    std::string label = "flood" + std::to_string(round);
    {
      Flood f = pp_flood(b, label, n_arg + " stay");
      double c0 = cpu_seconds(b.pp.pid());
      ing.pp.push_back(write_all(f, lines));
      cpu.pp.push_back(cpu_seconds(b.pp.pid()) - c0);
      intact.push_back(check_flood_log("persistproc", f.log, kPpStamp));
      b.sess.call("ctrl", {{"action", "stop"}, {"command_or_label", label}});
    }
    {
      Flood f = pm2_flood(b, label, {n_arg, "stay"});
      double c0 = cpu_seconds(b.pm2.god());
      ing.peer.push_back(write_all(f, lines));
      cpu.peer.push_back(cpu_seconds(b.pm2.god()) - c0);
      intact.push_back(check_flood_log("pm2", f.log, kPm2Stamp));
      b.pm2.remove(label);
      fs::remove(f.log);
    }
    {
      std::string log = b.work.path() + "/direct" + std::to_string(round) + ".log";
      Child child({kFlood, n_arg}, {}, log);
      await_ready(log, "direct flood");
      ing.limit.push_back(write_all({log, child.pid()}, lines));
      child.wait(kIngestBound);
      fs::remove(log);
    }
  }
  b.extra["ingest_intact_lines"] = intact;
  ing.target = "< pm2 and ≤ " + num(kLimitFactor, 0) + "× limit";
  ing.met = ratio(ing) < 1 && median(ing.pp) <= kLimitFactor * median(ing.limit);
  ing.note = "(persistproc/limit " + num(median(ing.pp) / median(ing.limit), 1) + "×)";
  ing.prec = cpu.prec = 3;
  b.rows.insert(b.rows.end(), {ing, cpu});
}

void kept_at_exit(Bench& b, long lines, const std::string& name) {
  progress("lines kept at exit");
  Measure kept{"ingest_kept_at_exit", "child exits right after " + name + " lines: lines on disk once the exit is reported"};
  kept.peer_name = "pm2 `--time`";
  std::string n_arg = std::to_string(lines);
  for (int round = 0; round < b.pick(kRounds); ++round) {
    std::string label = "exiting" + std::to_string(round);
    {
      Flood f = pp_flood(b, label, n_arg);
      ::kill(f.pid, SIGUSR1);
      b.sess.await_not_running(f.pid);
      kept.pp.push_back(lines_on_disk(f, lines));
    }
    {
      Flood f = pm2_flood(b, label, {n_arg});
      ::kill(f.pid, SIGUSR1);
      b.pm2.ask({{"op", "stopped"}, {"name", label}});
      kept.peer.push_back(lines_on_disk(f, lines));
      b.pm2.remove(label);
      fs::remove(f.log);
    }
  }
  kept.prec = 0;
  kept.target = "all " + std::to_string(lines);
  kept.met = lowest(kept.pp) == static_cast<double>(lines);
  if (lowest(kept.peer) < static_cast<double>(lines))
    kept.note = "(pm2 closes its log streams on exit while output is still queued: ERR_STREAM_DESTROYED in pm2.log)";
  b.rows.push_back(kept);
}

}  // namespace

void ingest(Bench& b) {
  long lines = b.pick(kFloodLines);
  std::string name = b.pick(kFloodName);
  ingestion(b, lines, name);
  kept_at_exit(b, lines, name);
}

}  // namespace pp::bench
