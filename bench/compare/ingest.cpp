// Section "ingest": log ingestion, kFloodLines lines of 100 bytes as fast as the
// flood child can write them, into persistproc's logs, pm2's `--time` log and, as
// the limit, a plain redirection into a file. The child stays alive after its last
// line (`stay`), so what is timed is ingestion alone; the same child exiting at
// once is the last row: how many lines are on disk when the exit is reported.
// Rows: ingest_time, ingest_cpu, ingest_kept_at_exit.
// The clock stops when each log the lines go to has its exact expected size (the
// lines are all 100 bytes, the stamps fixed-size): waiting costs an fstat per
// write, so the harness does not compete for the two cores it measures. That the
// bytes are the right lines is checked after, off the clock, for every contestant.
// pm2's size is not known in advance (it cuts the start off a line now and then,
// see pm2_done), so its wait reads the last two lines once it is nearly there.
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
constexpr double kLimitFactor = 1.5;

// "%07ld " as the child writes line k.
std::string flood_number(long k) {
  char s[24];
  std::snprintf(s, sizeof s, "%07ld ", k);
  return s;
}

// Lines of a flood log that hold line k of the child intact, in order, behind a
// time stamp of `stamp` bytes; the rest were broken or lost. The ready line and
// the supervisor's own lines ([SYSTEM] in persistproc's combined log) are not counted.
json::object check_flood_log(const std::string& who, const std::string& path, std::size_t stamp) {
  long intact = 0, damaged = 0, next = 1;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() >= stamp &&
        (line.compare(stamp, std::string::npos, "ready") == 0 || line.compare(stamp, 9, "[SYSTEM] ") == 0))
      continue;
    std::string want = flood_number(next);
    bool ok = line.size() == stamp + kFloodLine - 1 && line.compare(stamp, kFloodNumber, want) == 0 &&
              line.find_first_not_of('x', stamp + kFloodNumber) == std::string::npos;
    if (ok) {
      ++intact;
      ++next;
    } else {
      ++damaged;
      long k = line.size() >= stamp + kFloodNumber ? std::atol(line.c_str() + stamp) : 0;
      next = k > 0 ? k + 1 : next + 1;  // a line without its number (pm2 cut its start) is still line `next`
    }
  }
  return {{"who", who}, {"intact", intact}, {"damaged", damaged}};
}

// A flood child started and ready to write: its stdout log, the size of the
// stamp each of its lines gets there, its pid and, for persistproc, the combined
// log that gets every line as well.
struct Flood {
  std::string log;
  std::size_t stamp;
  int pid;
  std::string combined = {};
  bool exact = true;  // each line is in its log whole (not pm2's)
  std::string err = {};  // persistproc's stderr log
};

// A stopped persistproc flood's logs go, as pm2's and the redirect's do after
// their rounds: none is left for the kernel to write back, or to hold in the
// page cache, while the next rounds are timed.
void remove_logs(const Flood& f) {
  for (const std::string* path : {&f.log, &f.combined, &f.err})
    if (!path->empty()) fs::remove(*path);
}

Flood pp_flood(Bench& b, const std::string& label, const std::string& args) {
  auto r = b.sess.call("ctrl", start_args(kFlood + " " + args, b.work.path(), label));
  Flood f{std::string(r.at("log_stdout").as_string()), kPpStamp, as_int(r.at("pid")),
          std::string(r.at("log_combined").as_string()), true, std::string(r.at("log_stderr").as_string())};
  await_ready(f.log, "flood " + label);
  return f;
}

Flood pm2_flood(Bench& b, const std::string& name, const std::vector<std::string>& args) {
  auto r = b.pm2.start(name, kFlood, args);
  Flood f{std::string(r.at("out").as_string()), kPm2Stamp, as_int(r.at("pid")), {}, false};
  await_ready(f.log, "pm2 flood " + name);
  return f;
}

// The logs that get each line, with the size each must reach once all `lines`
// are in: what it holds now (the ready line, the start) plus `lines` stamped lines.
using Sizes = std::vector<std::pair<std::string, long long>>;
Sizes expected_sizes(const Flood& f, long lines) {
  auto grown = static_cast<long long>(lines) * static_cast<long long>(f.stamp + kFloodLine);
  Sizes logs{{f.log, file_size(f.log) + grown}};
  if (!f.combined.empty()) logs.emplace_back(f.combined, file_size(f.combined) + grown);
  return logs;
}

// pm2's log ends with the child's last line (`lines`). pm2 `--time` drops the
// part of a line that ends one of its reads from the pipe (760 to 1,530 of
// 1,000,000 lines keep only their 'x's), so that line may be all 'x's after the
// stamp; then the line before it is intact (such cuts are tens of KiB apart; two
// together would end the wait at its bound, and the run with it).
bool pm2_done(std::string_view tail, long lines) {
  if (tail.empty() || tail.back() != '\n') return false;
  auto last_nl = tail.size() - 1, mid = tail.rfind('\n', last_nl - 1);
  if (mid == std::string_view::npos || mid == 0) return false;
  auto first = tail.rfind('\n', mid - 1);
  if (first == std::string_view::npos || last_nl - mid - 1 < kPm2Stamp || mid - first - 1 < kPm2Stamp) return false;
  std::string_view last = tail.substr(mid + 1 + kPm2Stamp), before = tail.substr(first + 1 + kPm2Stamp);
  if (last.starts_with(flood_number(lines))) return true;
  return last.find_first_not_of('x') == last.size() - 1 && before.starts_with(flood_number(lines - 1));
}

// A bound on what pm2 drops (about 0.05%; more is no time, it throws at the bound).
constexpr double kPm2MaxLoss = 0.01;

// SIGUSR1 sets the ready child writing; seconds until its logs have their
// expected sizes (pm2's: until its last line is in). `who` names the contestant.
double write_all(const Flood& f, const Sizes& logs, long lines, const std::string& who) {
  auto t0 = Clock::now();
  ::kill(f.pid, SIGUSR1);
  for (const auto& [path, size] : logs) {
    long long seen = 0;
    auto grown = static_cast<double>(lines) * static_cast<double>(f.stamp + kFloodLine);
    bool in = f.exact ? await_size(path, size, kIngestBound, &seen)
                      : await_tail(path, size - static_cast<long long>(kPm2MaxLoss * grown),
                                   3 * (kPm2Stamp + kFloodLine), [&](std::string_view t) { return pm2_done(t, lines); },
                                   kIngestBound, &seen);
    if (!in)
      throw std::runtime_error(who + ": " + std::to_string(seen) + " of " + std::to_string(size) + " bytes in " + path +
                               " after " + std::to_string(kIngestBound.count()) + " s");
  }
  return ms_since(t0) / 1000;
}

// Off the clock: the logs hold the `lines` intact and nothing else, or it throws
// (a short or damaged log is no time). pm2's lines must all be there, some with
// their start cut off. The stdout log's count goes to `intact`.
void verify(const Flood& f, const Sizes& logs, long lines, const std::string& who, json::array* intact = nullptr) {
  for (const auto& [path, size] : logs) {
    json::object c = check_flood_log(who, path, f.stamp);
    auto whole = c.at("intact").as_int64(), damaged = c.at("damaged").as_int64();
    bool ok = f.exact ? file_size(path) == size && whole == lines && damaged == 0 : whole + damaged == lines;
    if (!ok)
      throw std::runtime_error(who + ": " + path + " holds " + std::to_string(file_size(path)) + " bytes (" +
                               std::to_string(size) + " expected), " + json::serialize(c));
    if (intact && path == f.log) intact->push_back(std::move(c));
  }
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
      Sizes logs = expected_sizes(f, lines);
      double c0 = cpu_seconds(b.pp.pid());
      ing.pp.push_back(write_all(f, logs, lines, "persistproc"));
      cpu.pp.push_back(cpu_seconds(b.pp.pid()) - c0);
      verify(f, logs, lines, "persistproc", &intact);
      b.sess.call("ctrl", {{"action", "stop"}, {"command_or_label", label}});
      remove_logs(f);
    }
    {
      Flood f = pm2_flood(b, label, {n_arg, "stay"});
      Sizes logs = expected_sizes(f, lines);
      double c0 = cpu_seconds(b.pm2.god());
      ing.peer.push_back(write_all(f, logs, lines, "pm2"));
      cpu.peer.push_back(cpu_seconds(b.pm2.god()) - c0);
      verify(f, logs, lines, "pm2", &intact);
      b.pm2.remove(label);
      fs::remove(f.log);
    }
    {
      std::string log = b.work.path() + "/direct" + std::to_string(round) + ".log";
      Child child({kFlood, n_arg}, {}, log);
      await_ready(log, "direct flood");
      Flood f{log, 0, child.pid()};
      Sizes logs = expected_sizes(f, lines);
      ing.limit.push_back(write_all(f, logs, lines, "direct"));
      verify(f, logs, lines, "direct");
      child.wait(kIngestBound);
      fs::remove(log);
    }
  }
  b.extra["ingest_intact_lines"] = intact;
  ing.target = "< pm2 and ≤ " + num(kLimitFactor, 1) + "× limit";
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
      remove_logs(f);
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
