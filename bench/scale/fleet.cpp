#include "scale/fleet.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <memory>

#include "common/log_watch.hpp"
#include "common/procs.hpp"
#include "common/session.hpp"
#include "common/timing.hpp"

namespace pp::bench {

namespace asio = boost::asio;
namespace json = boost::json;
using pp::client::McpClient;

namespace {

// A failure bound for a whole shutdown: each process has 8 s of grace, all at once,
// but at 1,000 processes the server's stops take minutes (bench/README.md#scale).
constexpr std::chrono::seconds kShutdownBound{600};
constexpr int kDeathBoundMs = 20000;

asio::awaitable<void> starter(McpClient& c, std::string cwd, int first, int step, int n, std::vector<int>& pids) {
  co_await c.open();
  for (int i = first; i < n; i += step) {
    auto r = co_await c.call_tool("ctrl", start_args(pp::test::kHelper + " pause", cwd, "p" + std::to_string(i)));
    if (!r.at("error").is_null()) throw std::runtime_error("start p" + std::to_string(i) + ": " + json::serialize(r));
    pids[static_cast<std::size_t>(i)] = as_int(r.at("pid"));
  }
  co_await c.close();
}

}  // namespace

Started start_helpers(const pp::test::Server& s, const std::string& cwd, int n, int sessions) {
  asio::io_context ioc;
  pp::client::Endpoint ep{s.port(), s.token(), std::chrono::seconds(120)};
  std::vector<std::unique_ptr<McpClient>> cs;
  for (int i = 0; i < sessions; ++i) cs.push_back(std::make_unique<McpClient>(ioc.get_executor(), ep));
  Started st;
  st.pids.assign(static_cast<std::size_t>(n), 0);
  std::exception_ptr failed;
  auto t0 = Clock::now();
  for (int i = 0; i < sessions; ++i)
    asio::co_spawn(ioc, starter(*cs[static_cast<std::size_t>(i)], cwd, i, sessions, n, st.pids),
                   [&](std::exception_ptr e) {
                     if (e && !failed) failed = e;
                   });
  ioc.run();  // each call is bounded by the endpoint's timeout
  st.seconds = ms_since(t0) / 1000;
  if (failed) std::rethrow_exception(failed);
  return st;
}

int start_ready(Session& sess, const std::string& cwd, const std::string& label) {
  auto r = sess.call("ctrl", start_args(pp::test::kHelper + " out:ready pause", cwd, label));
  if (!r.at("error").is_null()) throw std::runtime_error("start " + label + ": " + json::serialize(r));
  await_ready(std::string(r.at("log_stdout").as_string()), label);
  return as_int(r.at("pid"));
}

Clock::time_point kill_and_await_death(int pid) {
  PidFd fd(pid);
  ::kill(pid, SIGKILL);
  pollfd p{fd.fd(), POLLIN, 0};
  if (::poll(&p, 1, kDeathBoundMs) != 1) throw std::runtime_error("killed child did not die");
  return Clock::now();
}

ShutdownTimes shutdown(pp::test::Server& s, const std::vector<int>& pids) {
  std::vector<PidFd> children;
  children.reserve(pids.size());
  for (int pid : pids) children.emplace_back(pid);
  PidFd server(s.pid());
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  int fds[3] = {null, null, null};
  std::map<std::string, std::string> env = {{"PERSISTPROC_PORT", std::to_string(s.port())},
                                            {"PERSISTPROC_DATA_DIR", s.data_dir()},
                                            {"PERSISTPROC_FORMAT", ""},
                                            {"PERSISTPROC_TOKEN", ""}};
  auto t0 = Clock::now();
  int cli = pp::test::spawn_process({pp::test::kBin, "shutdown"}, env, fds);
  ::close(null);
  PidFd cli_fd(cli);
  ShutdownTimes t;
  // Every pidfd still open is polled; each wake takes off those that became readable.
  std::vector<const PidFd*> waiting;
  for (const auto& c : children) waiting.push_back(&c);
  waiting.push_back(&server);
  waiting.push_back(&cli_fd);
  std::size_t children_left = children.size();
  auto deadline = t0 + kShutdownBound;
  while (!waiting.empty()) {
    std::vector<pollfd> p;
    for (const auto* w : waiting) p.push_back({w->fd(), POLLIN, 0});
    int n = ::poll(p.data(), p.size(), ms_left(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      bool server_left = std::find(waiting.begin(), waiting.end(), &server) != waiting.end();
      bool cli_left = std::find(waiting.begin(), waiting.end(), &cli_fd) != waiting.end();
      throw std::runtime_error("shutdown: after " + std::to_string(kShutdownBound.count()) + " s, " +
                               std::to_string(children_left) + " of " + std::to_string(children.size()) +
                               " children still running" + (server_left ? ", the server still running" : "") +
                               (cli_left ? ", `persistproc shutdown` not returned" : ""));
    }
    double now = ms_since(t0);
    std::vector<const PidFd*> still;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (!(p[i].revents & POLLIN)) {
        still.push_back(waiting[i]);
        continue;
      }
      if (waiting[i] == &server)
        t.server_ms = now;
      else if (waiting[i] == &cli_fd)
        t.cli_ms = now;
      else if (--children_left == 0)
        t.children_ms = now;
    }
    waiting = std::move(still);
  }
  int code = reap(cli);
  s.wait_exit();
  if (code != 0) throw std::runtime_error("persistproc shutdown exited " + std::to_string(code));
  return t;
}

}  // namespace pp::bench
