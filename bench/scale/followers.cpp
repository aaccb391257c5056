// Section "followers": N `persistproc run` processes, each on a terminal of its
// own (a PTY this harness reads), attached to one flooding child (pp_bench_stamper:
// numbered lines stamped with CLOCK_MONOTONIC as they are written, at a steady
// rate). Display latency is a line's stamp -> the line read from a follower's
// terminal, over every line at every follower; the server's CPU is taken over the
// flood (the flood's start -> every follower has the last line), per second and
// per line, and so is the followers' own. N = 0 is the flood with nobody
// following: the ingestion's cost alone.
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <charconv>
#include <cstring>

#include "common/log_watch.hpp"
#include "common/procfs.hpp"
#include "common/session.hpp"
#include "common/stats.hpp"
#include "common/table.hpp"
#include "common/timing.hpp"
#include "scale/scale.hpp"
#include "support/test_support.hpp"

extern char** environ;

namespace pp::bench {

namespace json = boost::json;

namespace {

const std::string kStamper = PP_STAMPER;
constexpr int kLineBytes = 100;
constexpr std::chrono::seconds kBound{120};
constexpr unsigned short kRows = 50, kColumns = 200;
constexpr const char* kAttached = "attached to PID";
constexpr double kP99 = 0.99;

struct Follower {
  int pid = -1, master = -1;
  std::string buf;  // read, not yet a whole line
  bool attached = false, ended = false;
  long lines = 0, last = 0;  // lines read, and the highest number seen
};

// argv on a new PTY, in its own session with the terminal as its controlling one
// (so it is the terminal's foreground job), with `env` (NAME=VALUE strings).
Follower spawn_on_pty(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::vector<char*> a, e;
  for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
  for (const auto& s : env) e.push_back(const_cast<char*>(s.c_str()));
  a.push_back(nullptr);
  e.push_back(nullptr);
  winsize ws{kRows, kColumns, 0, 0};
  Follower f;
  f.pid = ::forkpty(&f.master, nullptr, nullptr, &ws);
  if (f.pid < 0) throw std::runtime_error(std::string("forkpty: ") + std::strerror(errno));
  if (f.pid == 0) {
    ::close_range(3, ~0U, 0);  // this harness holds many descriptors; none are the follower's
    ::execve(a[0], a.data(), e.data());
    ::_exit(127);
  }
  ::fcntl(f.master, F_SETFD, FD_CLOEXEC);
  ::fcntl(f.master, F_SETFL, ::fcntl(f.master, F_GETFL) | O_NONBLOCK);
  return f;
}

// This process's environment pointed at the server `s` (as bench/compare's CLI rows do).
std::vector<std::string> follower_env(const pp::test::Server& s) {
  std::vector<std::string> env;
  for (char** v = environ; *v; ++v) {
    std::string_view kv(*v);
    if (kv.starts_with("PERSISTPROC_")) continue;
    env.emplace_back(kv);
  }
  env.push_back("PERSISTPROC_PORT=" + std::to_string(s.port()));
  env.push_back("PERSISTPROC_DATA_DIR=" + s.data_dir());
  return env;
}

// What one read of the followers' terminals found.
struct Reading {
  std::vector<double> latencies;  // ms, every numbered line
};

// One whole line from a follower's terminal (its "\r" already taken off).
void take_line(Follower& f, std::string_view line, Clock::time_point now, Reading& r) {
  if (!f.attached) {
    f.attached = line.find(kAttached) != std::string_view::npos;
    return;
  }
  if (!line.starts_with("s ")) return;
  long n = 0;
  long long ns = 0;
  const char* p = line.data() + 2;
  const char* end = line.data() + line.size();
  auto [p1, e1] = std::from_chars(p, end, n);
  if (e1 != std::errc() || p1 == end) return;
  auto [p2, e2] = std::from_chars(p1 + 1, end, ns);
  if (e2 != std::errc()) return;
  ++f.lines;
  f.last = std::max(f.last, n);
  r.latencies.push_back(ms_between(from_monotonic_ns(static_cast<double>(ns)), now));
}

// Reads what the follower's terminal has; false once it has ended.
void drain(Follower& f, Reading& r) {
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(f.master, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {  // EIO: every process on the terminal has closed it
      f.ended = true;
      return;
    }
    auto now = Clock::now();
    f.buf.append(buf, static_cast<std::size_t>(n));
    std::size_t from = 0;
    for (auto nl = f.buf.find('\n', from); nl != std::string::npos; nl = f.buf.find('\n', from)) {
      std::string_view line(f.buf.data() + from, nl - from);
      if (line.ends_with('\r')) line.remove_suffix(1);
      take_line(f, line, now, r);
      from = nl + 1;
    }
    f.buf.erase(0, from);
  }
}

// Reads every follower's terminal (epoll) until done() or the bound.
template <class Done>
void read_until(std::vector<Follower>& fs, Reading& r, Done done, const std::string& what) {
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  for (std::size_t i = 0; i < fs.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, fs[i].master, &ev);
  }
  auto deadline = Clock::now() + kBound;
  std::vector<epoll_event> evs(fs.size() + 1);
  while (!done()) {
    int n = ::epoll_wait(ep, evs.data(), static_cast<int>(evs.size()), ms_left(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(ep);
      throw std::runtime_error(what);
    }
    for (int i = 0; i < n; ++i) {
      Follower& f = fs[evs[static_cast<std::size_t>(i)].data.u64];
      drain(f, r);
      if (f.ended) {
        ::close(ep);
        throw std::runtime_error("a follower ended: " + f.buf);
      }
    }
  }
  ::close(ep);
}

struct FloodFigures {
  Reading reading;
  double seconds = 0, server_cpu = 0, followers_cpu = 0;
  long missing = 0;
};

FloodFigures flood(const Scale& sc, int n) {
  pp::test::TempDir work;
  pp::test::Server s({"-q"});
  Session sess(s.port(), s.token());
  std::vector<std::string> cmd = {kStamper, std::to_string(sc.flood_lines), std::to_string(sc.flood_rate),
                                  std::to_string(kLineBytes)};
  std::string line;
  for (const auto& c : cmd) line += (line.empty() ? "" : " ") + c;
  auto r = sess.call("ctrl", start_args(line, work.path(), "flood"));
  if (!r.at("error").is_null()) throw std::runtime_error("flood: " + json::serialize(r));
  int child = as_int(r.at("pid"));
  std::string log = std::string(r.at("log_stdout").as_string());
  await_ready(log, "flood child");

  std::vector<std::string> argv = {pp::test::kBin, "run", "--on-exit", "detach", "--label", "flood", "--"};
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  auto env = follower_env(s);
  std::vector<Follower> fs;
  FloodFigures out;
  try {
    for (int i = 0; i < n; ++i) fs.push_back(spawn_on_pty(argv, env));
    read_until(fs, out.reading, [&] {
      return std::all_of(fs.begin(), fs.end(), [](const Follower& f) { return f.attached; });
    }, "not every follower attached");

    double cpu0 = run_seconds(s.pid());
    double fcpu0 = 0;
    for (const auto& f : fs) fcpu0 += run_seconds(f.pid);
    long long from = file_size(log);
    auto t0 = Clock::now();
    ::kill(child, SIGUSR1);
    if (n == 0) {
      if (!await_count(log, from, "done\n", 1, kBound)) throw std::runtime_error("flood: no done line");
    } else {
      read_until(fs, out.reading, [&] {
        return std::all_of(fs.begin(), fs.end(), [&](const Follower& f) { return f.last == sc.flood_lines; });
      }, "not every follower showed the last line");
    }
    out.seconds = ms_since(t0) / 1000;
    out.server_cpu = run_seconds(s.pid()) - cpu0;
    for (const auto& f : fs) out.followers_cpu += run_seconds(f.pid);
    out.followers_cpu -= fcpu0;
    for (const auto& f : fs) out.missing += sc.flood_lines - f.lines;
  } catch (...) {
    for (auto& f : fs) ::kill(f.pid, SIGKILL);
    for (auto& f : fs) ::waitpid(f.pid, nullptr, 0), ::close(f.master);
    throw;
  }
  for (auto& f : fs) ::kill(f.pid, SIGKILL);
  for (auto& f : fs) ::waitpid(f.pid, nullptr, 0), ::close(f.master);
  return out;
}

}  // namespace

void followers(Scale& sc) {
  Grid& g = sc.grids.emplace_back();  // filled where it stands: a failure midway still prints it
  g.key = "followers";
  g.size_name = "followers";
  g.sizes = sc.followers;
  g.caption = "**`run` followers**: N `persistproc run` on terminals of their own, attached to one child writing " +
              std::to_string(sc.flood_lines) + " lines of " + std::to_string(kLineBytes) + " B at " +
              std::to_string(sc.flood_rate) + " lines/s";
  GridRow& p50 = g.row("display_p50", "display latency, line written → on a follower's terminal, p50 (ms)", 3);
  GridRow& p99 = g.row("display_p99", "the same, p99 (ms)", 3);
  GridRow& worst = g.row("display_max", "the same, max (ms)", 1);
  GridRow& span = g.row("flood_span", "flood started → every follower has the last line (ms)", 0);
  GridRow& cpu_s = g.row("server_cpu_share", "server CPU while flooding (% of a core)", 1);
  GridRow& cpu_line = g.row("server_cpu_line", "server CPU per line written (µs)", 2);
  GridRow& fcpu_line = g.row("follower_cpu_line", "each follower's CPU per line (µs)", 2);
  GridRow& missing = g.row("missing", "lines missing at the followers (all together)", 0);
  g.notes.push_back("The nominal flood lasts " + num(1000.0 * sc.flood_lines / sc.flood_rate, 0) +
                    " ms. One thread of this harness reads every terminal.");
  json::object& summary = sc.extra["followers_latency_quantiles"].emplace_object();
  for (int n : sc.followers) {
    progress("followers: " + std::to_string(n));
    FloodFigures f = flood(sc, n);
    auto& lat = f.reading.latencies;
    if (!lat.empty()) {
      p50.figure[n] = median(lat);
      p99.figure[n] = quantile(lat, kP99);
      worst.figure[n] = highest(lat);
      summary[std::to_string(n)] = {{"samples", lat.size()},
                                    {"p50", median(lat)},
                                    {"p90", quantile(lat, 0.9)},
                                    {"p99", quantile(lat, kP99)},
                                    {"p999", quantile(lat, 0.999)},
                                    {"max", highest(lat)}};
    }
    span.figure[n] = f.seconds * 1000;
    cpu_s.figure[n] = 100 * f.server_cpu / f.seconds;
    cpu_line.figure[n] = f.server_cpu * 1e6 / static_cast<double>(sc.flood_lines);
    if (n > 0) {
      fcpu_line.figure[n] = f.followers_cpu * 1e6 / static_cast<double>(sc.flood_lines) / n;
      missing.figure[n] = static_cast<double>(f.missing);
    }
  }
}

}  // namespace pp::bench
