#include "features/terminal.hpp"

#include <pty.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <boost/json.hpp>

#include "common/commands.hpp"
#include "common/log_watch.hpp"
#include "common/procfs.hpp"
#include "common/stats.hpp"
#include "common/timing.hpp"
#include "support/pty_process.hpp"

namespace pp::bench {

using pp::test::kHelper;
using pp::test::PtyProcess;

namespace {

constexpr int kKeys = 200;
constexpr int kIngestRounds = 3;
constexpr long kLines = 1'000'000;
constexpr std::chrono::seconds kIngestBound{180};
constexpr double kP50 = 0.5, kP99 = 0.99;
inline const std::string kFlood = PP_FLOOD;

// Types 'a' into `p` (whose child runs the helper's `keys`) and returns the ms from
// the key press to the child's read, as the child stamped it.
double type_key(PtyProcess& p) {
  std::size_t mark = p.transcript().size();
  auto t0 = Clock::now();
  p.send("a");
  if (!p.await_output("key 61 ", mark)) throw std::runtime_error("key not read: " + p.transcript().substr(mark));
  std::size_t at = p.transcript().find("key 61 ", mark) + 7;
  if (!p.await_output("\r\n", at)) throw std::runtime_error("key line not ended");
  return ms_between(t0, from_monotonic_ns(std::stod(p.transcript().substr(at))));
}

// SIGUSR1 sets the ready flood child writing; seconds until all its lines are in `log`.
double flood_until_logged(const std::string& log, int pid) {
  auto t0 = Clock::now();
  ::kill(pid, SIGUSR1);
  long seen = 0;
  if (!await_count(log, 0, "\n", kLines + 1, kIngestBound, &seen))  // + 1: the ready line
    throw std::runtime_error(std::to_string(seen) + " of " + std::to_string(kLines + 1) + " lines in " + log);
  return ms_since(t0) / 1000;
}

double cpu_of_self() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The limit: the flood child on a PTY of our own, its master read and discarded
// here, so only the kernel's terminal path is paid. Seconds and our CPU seconds.
std::pair<double, double> flood_through_bare_pty() {
  int master = -1;
  winsize ws{50, 200, 0, 0};
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
  if (pid < 0) throw std::runtime_error("forkpty failed");
  if (pid == 0) {
    std::string n = std::to_string(kLines);
    ::execl(kFlood.c_str(), kFlood.c_str(), n.c_str(), "stay", "color", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  char buf[64 * 1024];
  long newlines = 0;
  auto count = [&]() {
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) throw std::runtime_error("bare pty: the flood child's output ended early");
    newlines += std::count(buf, buf + n, '\n');
  };
  while (newlines < 1) count();  // "ready"
  double c0 = cpu_of_self();
  auto t0 = Clock::now();
  ::kill(pid, SIGUSR1);
  while (newlines < kLines + 1) count();
  std::pair<double, double> r{ms_since(t0) / 1000, cpu_of_self() - c0};
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ::close(master);
  return r;
}

}  // namespace

std::vector<Measure> key_latency(const pp::test::Server& s, const std::string& cwd) {
  Env env = {{"PERSISTPROC_PORT", std::to_string(s.port())},
             {"PERSISTPROC_DATA_DIR", s.data_dir()},
             {"PERSISTPROC_FORMAT", ""}};
  PtyProcess run({pp::test::kBin, "run", "--on-exit", "detach", "--label", "keys", kHelper, "keys"}, env, cwd);
  PtyProcess direct({kHelper, "keys"}, {}, cwd);
  for (auto* p : {&run, &direct})
    if (!p->await_output("keys ready\r\n")) throw std::runtime_error("keys: no ready: " + p->transcript());
  std::vector<double> via_run, straight;
  for (int i = 0; i < kKeys; ++i) {
    via_run.push_back(type_key(run));
    straight.push_back(type_key(direct));
  }
  Measure p50{"key_latency_p50", "a key typed into `run` → the child reads it, median (ms)"},
      p99{"key_latency_p99", "the same, p99 (ms)"};
  for (auto [m, q] : {std::pair{&p50, kP50}, std::pair{&p99, kP99}}) {
    m->pp = {quantile(via_run, q)};
    m->limit = {quantile(straight, q)};
    m->limit_name = "(typed straight into its terminal)";
    m->note = "(n=" + std::to_string(kKeys) + " each)";
  }
  p50.target = "< 2 ms";
  p50.met = median(via_run) < 2;
  return {p50, p99};
}

std::vector<Measure> tty_ingestion(Session& sess, int server_pid, const std::string& cwd) {
  Measure time{"tty_ingest_time", "1,000,000 coloured lines × 100 B from a PTY: until the last is in the log (s)"};
  Measure cpu{"tty_ingest_cpu", "the same: server CPU (s)"};
  time.peer_name = cpu.peer_name = "the same lines from a pipe";
  time.limit_name = cpu.limit_name = "(a bare PTY read and discarded)";
  for (int round = 0; round < kIngestRounds; ++round) {
    for (bool tty : {true, false}) {
      std::string label = (tty ? "tty" : "pipe") + std::to_string(round);
      boost::json::object args = start_args(kFlood + " " + std::to_string(kLines) + " stay color", cwd, label);
      args["tty"] = tty;
      auto r = sess.call("ctrl", std::move(args));
      std::string log(r.at("log_stdout").as_string());
      await_ready(log, label);
      double c0 = cpu_seconds(server_pid);
      (tty ? time.pp : time.peer).push_back(flood_until_logged(log, as_int(r.at("pid"))));
      (tty ? cpu.pp : cpu.peer).push_back(cpu_seconds(server_pid) - c0);
      sess.call("ctrl", {{"action", "stop"}, {"command_or_label", label}});
    }
    auto [secs, cpu_secs] = flood_through_bare_pty();
    time.limit.push_back(secs);
    cpu.limit.push_back(cpu_secs);
  }
  time.prec = cpu.prec = 2;
  return {time, cpu};
}

}  // namespace pp::bench
