#include "stacks/round.hpp"

#include <poll.h>

#include <boost/json.hpp>
#include <cerrno>
#include <functional>
#include <stdexcept>

#include "common/timing.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

namespace json = boost::json;

namespace {

// Failure bounds: a stack that is not up, not far enough or not stopped by then has hung.
constexpr std::chrono::seconds kUpBound{60}, kRunBound{120}, kStopBound{60};

std::vector<std::string> needles() {
  std::vector<std::string> n;
  for (std::string p : Stack::kNames) n.insert(n.end(), {Stack::ready_line(p), Stack::seq_prefix(p)});
  return n;
}

// Polls the watch and the pidfds until done() holds, scanning the outputs at each
// change; on_exit(i) hears that pidfd i fired (once each). Throws at the bound.
void await(OutputWatch& w, const std::vector<int>& pidfds, const std::function<bool()>& done,
           const std::function<void(std::size_t)>& on_exit, std::chrono::seconds bound, const std::string& what) {
  auto deadline = Clock::now() + bound;
  std::vector<pollfd> p{{w.fd(), POLLIN, 0}};
  for (int fd : pidfds) p.push_back({fd, POLLIN, 0});
  w.scan();
  while (!done()) {
    int n = ::poll(p.data(), p.size(), ms_left(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(what + ": not within " + std::to_string(bound.count()) + " s");
    if (p[0].revents) w.scan();
    for (std::size_t i = 1; i < p.size(); ++i)
      if (p[i].revents) {
        p[i].fd = -1;  // poll skips it from now on
        on_exit(i - 1);
      }
  }
}

}  // namespace

RoundResult run_round(Tool& tool, long lines) {
  RoundResult r;
  const Stack& s = tool.stack;
  OutputWatch w(tool.outputs(), needles());
  auto all = [&](const std::function<bool(const std::string&)>& pred) {
    for (std::string n : Stack::kNames)
      if (!pred(n)) return false;
    return true;
  };
  auto all_ready = [&] { return all([&](const std::string& n) { return w.count(Stack::ready_line(n)) > 0; }); };

  // Up: the command, until every ready line is in the output (and `up -d` has returned).
  auto t0 = Clock::now();
  const PidFd& up = tool.up();
  bool ready = false, returned = false;
  await(
      w, {up.fd()},
      [&] {
        if (!ready && all_ready()) {
          ready = true;
          r.ready_ms = ms_since(t0);
        }
        return ready && (returned || !tool.up_returns_when_ready());
      },
      [&](std::size_t) {
        double ms = ms_since(t0);
        tool.reap_up();
        if (!tool.up_returns_when_ready() || *tool.up_code != 0)
          throw std::runtime_error(tool.name() + "'s up command ended with code " + std::to_string(*tool.up_code) +
                                   " (its output: " + s.dir + ")");
        returned = true;
        r.returned_ms = ms;
      },
      kUpBound, tool.name() + ": every ready line");
  r.rss_up_mib = supervisor_rss_mib(tool.supervisor());

  // The four processes, by the pids they wrote before their ready lines.
  std::vector<PidFd> procs;
  std::vector<int> fds;
  for (std::string n : Stack::kNames) {
    procs.emplace_back(std::stoi(pp::test::read_file(s.dir + "/" + n + ".pid")));
    fds.push_back(procs.back().fd());
  }
  std::vector<int> watched = fds;
  if (!tool.up_returns_when_ready()) watched.push_back(up.fd());  // a peer that ends here has failed
  await(
      w, watched, [&] { return all([&](const std::string& n) { return w.count(Stack::seq_prefix(n)) >= lines; }); },
      [&](std::size_t i) {
        throw std::runtime_error(tool.name() + ": " + (i < procs.size() ? "a process" : "the tool") +
                                 " ended before the stop");
      },
      kRunBound, tool.name() + ": " + std::to_string(lines) + " lines from each process");
  r.rss_running_mib = supervisor_rss_mib(tool.supervisor());

  // Stop: until the four have exited and the stop is done.
  auto t1 = Clock::now();
  const PidFd& stop = tool.stop();
  std::vector<int> stopping = fds;
  stopping.push_back(stop.fd());
  std::size_t exited = 0;
  bool done = false;
  await(
      w, stopping, [&] { return exited == procs.size() && done; },
      [&](std::size_t i) {
        double ms = ms_between(t1, Clock::now());
        if (i < procs.size()) {
          ++exited;
          r.stop_exited_ms = std::max(r.stop_exited_ms, ms);
        } else {
          done = true;
          r.stop_done_ms = ms;
        }
      },
      kStopBound, tool.name() + ": the stop");
  tool.reap_stop();
  r.stop_code = *tool.stop_code;
  w.scan();
  for (std::string n : Stack::kNames) {
    std::string count = s.dir + "/" + n + ".count";
    long written = std::stol(pp::test::read_file(count));  // throws if it was killed before writing it
    r.written_by[n] = written;
    r.found_by[n] = w.count(Stack::seq_prefix(n));
    r.written += written;
    r.found_at_stop += r.found_by[n];
  }
  tool.finish();
  w.scan();
  for (std::string n : Stack::kNames) r.found_after += w.count(Stack::seq_prefix(n));
  return r;
}

json::object round_json(const RoundResult& r) {
  json::object written, found;
  for (const auto& [n, v] : r.written_by) written[n] = v;
  for (const auto& [n, v] : r.found_by) found[n] = v;
  json::object o{{"ready_ms", r.ready_ms},
                 {"rss_up_mib", r.rss_up_mib},
                 {"rss_running_mib", r.rss_running_mib},
                 {"stop_exited_ms", r.stop_exited_ms},
                 {"stop_done_ms", r.stop_done_ms},
                 {"stop_code", r.stop_code},
                 {"written", r.written},
                 {"found_at_stop", r.found_at_stop},
                 {"found_after_exit", r.found_after},
                 {"written_by_process", written},
                 {"found_at_stop_by_process", found}};
  if (r.returned_ms >= 0) o["up_returned_ms"] = r.returned_ms;
  return o;
}

}  // namespace pp::bench
