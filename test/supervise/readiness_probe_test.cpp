// A readiness probe's checks (docs/stacks.md#readiness): a command that outlives its
// timeout is killed with its group and reaped; an HTTP check against an in-test
// server passes on 200 and keeps failing on 500; the status line parser. Each
// step awaits the runner's `progress` pulse.
#include "supervise/readiness_probe.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <filesystem>
#include <sstream>

#include "core/event.hpp"
#include "os/process_group.hpp"
#include "supervise/http_check.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;
using test::TempDir;

// Answers every request with `status`, counting them.
class TinyHttp {
 public:
  TinyHttp(asio::io_context& ioc, int status) : acceptor_(ioc, {asio::ip::make_address("127.0.0.1"), 0}), status_(status) {
    asio::co_spawn(ioc, serve(), asio::detached);
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  int requests = 0;
  std::string last_request;

 private:
  asio::awaitable<void> serve() {
    auto tuple = asio::as_tuple(asio::use_awaitable);
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(tuple);
      if (ec) co_return;
      std::string in;
      auto [rec, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(in), "\r\n\r\n", tuple);
      if (rec) continue;
      ++requests;
      last_request = in.substr(0, n);
      std::string reply = "HTTP/1.0 " + std::to_string(status_) + " Whatever\r\nContent-Length: 0\r\n\r\n";
      co_await asio::async_write(socket, asio::buffer(reply), tuple);
    }
  }
  tcp::acceptor acceptor_;
  int status_;
};

// Awaits `n` finished checks (or the bound).
asio::awaitable<bool> await_checks(ProbeRunner& r, int n) {
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (r.checks() < n) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    co_await r.progress().wait_until(deadline);
  }
  co_return true;
}

// run() on its own; `done` set when it returns.
struct ProbeRun {
  explicit ProbeRun(asio::io_context& ioc) : done(ioc.get_executor()) {}
  Event done;
  bool passed = false;
};
void start(asio::io_context& ioc, ProbeRunner& r, ProbeRun& run) {
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    run.passed = co_await r.run();
    run.done.set();
  }, asio::detached);
}

TEST(ProbeChecks, ACheckCommandPastItsTimeoutIsKilledWithItsGroupAndReaped) {
  asio::io_context ioc;
  TempDir dir;
  ReadinessProbe p;
  // A grandchild in its group too (the test helper, which waits for a signal);
  // the shell appends "<its pid> <grandchild's>" (one short O_APPEND write), then
  // waits for ever.
  p.exec = ExecCheck{{"sh", "-c", "\"$0\" pause & echo \"$$ $!\" >> pids; wait", test::kHelper}, dir.path()};
  p.period = 50ms;
  p.timeout = 1000ms;
  ProbeRunner r(ioc.get_executor(), p, {});
  ProbeRun run(ioc);
  start(ioc, r, run);
  auto begun = std::chrono::steady_clock::now();
  // Each check ends at its timeout; one killed before its shell wrote is followed
  // by another, so await check ends until a line is there (never a guess at how
  // long the shell takes).
  std::string pids_path = dir.path() + "/pids";
  auto has_line = [&] { return std::filesystem::exists(pids_path) && test::read_file(pids_path).find('\n') != std::string::npos; };
  int ended = 0;
  while (!has_line() && ended < 20) ASSERT_TRUE(test::run_co(ioc, await_checks(r, ++ended)));
  std::istringstream pids(test::read_file(pids_path));
  int leader = 0, grandchild = 0;
  pids >> leader >> grandchild;
  ASSERT_GT(leader, 0);
  ASSERT_GT(grandchild, 0);
  // The line may be the check in flight's (its shell wrote before we looked): await its end too.
  if (r.check_pid() == leader) {
    ASSERT_TRUE(test::run_co(ioc, await_checks(r, r.checks() + 1)));
  }
  EXPECT_GE(std::chrono::steady_clock::now() - begun, 1000ms);
  EXPECT_EQ(r.last_failure(), "timed out after 1000 ms");
  EXPECT_FALSE(run.done.is_set());
  // The leader was reaped before the check counted: no such process, not even a zombie.
  EXPECT_EQ(::kill(leader, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  // The grandchild got SIGKILL with the group (init reaps it).
  EXPECT_TRUE(test::run_co(ioc, await_exit(ioc.get_executor(), std::vector<int>{grandchild},
                                            std::chrono::steady_clock::now() + 20s)));
  r.stop();
  ASSERT_TRUE(test::run_co(ioc, run.done.wait_for(20s)));
  EXPECT_FALSE(run.passed);
}

TEST(ProbeChecks, StopKillsACheckInFlight) {
  asio::io_context ioc;
  TempDir dir;
  ReadinessProbe p;
  p.exec = ExecCheck{{test::kHelper, "pause"}, dir.path()};  // a check that hangs until killed
  p.timeout = 60s;
  ProbeRunner r(ioc.get_executor(), p, {});
  ProbeRun run(ioc);
  start(ioc, r, run);
  ASSERT_TRUE(test::run_co(ioc, [&]() -> asio::awaitable<bool> {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (r.check_pid() == 0 && std::chrono::steady_clock::now() < deadline)
      co_await r.progress().wait_until(deadline);
    co_return r.check_pid() != 0;
  }()));
  int pid = r.check_pid();
  r.stop();
  ASSERT_TRUE(test::run_co(ioc, run.done.wait_for(20s)));
  EXPECT_FALSE(run.passed);
  EXPECT_EQ(r.check_pid(), 0);
  EXPECT_EQ(::kill(pid, 0), -1);  // killed and reaped
  EXPECT_EQ(errno, ESRCH);
}

TEST(ProbeChecks, AnHttpCheckPassesOn200) {
  asio::io_context ioc;
  TinyHttp server(ioc, 200);
  ReadinessProbe p;
  p.http_get = HttpCheck{"127.0.0.1", server.port(), "/health?x=1"};
  p.period = 50ms;
  ProbeRunner r(ioc.get_executor(), p, {});
  EXPECT_TRUE(test::run_co(ioc, r.run()));
  EXPECT_EQ(r.checks(), 1);
  EXPECT_EQ(server.requests, 1);
  EXPECT_EQ(server.last_request.rfind("GET /health?x=1 HTTP/1.0\r\n", 0), 0u) << server.last_request;
  EXPECT_NE(server.last_request.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
            std::string::npos)
      << server.last_request;
}

TEST(ProbeChecks, AnHttpCheckAnswered500KeepsFailing) {
  asio::io_context ioc;
  TinyHttp server(ioc, 500);
  ReadinessProbe p;
  p.http_get = HttpCheck{"127.0.0.1", server.port(), "/"};
  p.period = 20ms;
  ProbeRunner r(ioc.get_executor(), p, {});
  ProbeRun run(ioc);
  start(ioc, r, run);
  ASSERT_TRUE(test::run_co(ioc, await_checks(r, 3)));
  EXPECT_FALSE(run.done.is_set());
  EXPECT_EQ(r.last_failure(), "status 500");
  EXPECT_GE(server.requests, 3);
  r.stop();
  ASSERT_TRUE(test::run_co(ioc, run.done.wait_for(20s)));
  EXPECT_FALSE(run.passed);
}

TEST(ProbeChecks, AnHttpCheckWithNobodyListeningFails) {
  asio::io_context ioc;
  int port = 0;  // a port that was free a moment ago: nothing listens
  {
    tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }
  std::string why = test::run_co(ioc, http_check(ioc.get_executor(), HttpCheck{"127.0.0.1", port, "/"}));
  EXPECT_NE(why.find("cannot connect to 127.0.0.1:" + std::to_string(port)), std::string::npos) << why;
}

TEST(ProbeChecks, StatusLines) {
  EXPECT_EQ(http_status("HTTP/1.1 200 OK\r\n"), 200);
  EXPECT_EQ(http_status("HTTP/1.0 302 Found"), 302);
  EXPECT_EQ(http_status("HTTP/1.1 404\r\n"), 404);
  EXPECT_EQ(http_status("HTTP/2 500 x"), 500);
  EXPECT_EQ(http_status("SSH-2.0-OpenSSH"), -1);
  EXPECT_EQ(http_status("HTTP/1.1 20"), -1);
  EXPECT_EQ(http_status("HTTP/1.1 2000 OK"), -1);
  EXPECT_EQ(http_status("HTTP/1.1 abc OK"), -1);
}

}  // namespace
}  // namespace pp
