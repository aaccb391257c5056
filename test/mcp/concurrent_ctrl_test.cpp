// Operations on one process at once join the one in flight and all report its
// true outcome (docs/mcp.md#ctrl): concurrent stops, concurrent restarts, a
// forced stop joining a graceful one.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include "core/shell_words.hpp"
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class Concurrent : public McpFixture {};

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

TEST_F(Concurrent, StopsOfOneProcessAllReportItsExit) {
  int pid = start_helper({"ready", "pause"});
  await_output(pid, "ready");
  json::object stop{{"action", "stop"}, {"pid", pid}};
  auto results = calls_at_once("ctrl", {stop, stop, stop});
  for (const auto& r : results) {
    EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
    EXPECT_EQ(r.at("pid"), pid);
    EXPECT_EQ(r.at("exit_code"), -15) << json::serialize(r);
  }
  EXPECT_EQ(instance(pid)->status(), Status::terminated);
  EXPECT_EQ(count(combined(pid), "[SYSTEM] Process terminated"), 1u);
}

TEST_F(Concurrent, RestartsOfOneProcessAllGetTheOneNewInstance) {
  int pid = start_helper({"ready", "pause"}, {{"label", "svc"}});
  await_output(pid, "ready");
  // Each caller waits for the new instance's readiness: every one's watcher sees it.
  json::object restart{{"action", "restart"}, {"command_or_label", "svc"}, {"wait_for", "^ready$"}};
  auto results = calls_at_once("ctrl", std::vector<json::object>(8, restart));
  ASSERT_EQ(results.size(), 8u);
  auto fresh = results[0].at("pid");
  ASSERT_TRUE(fresh.is_int64()) << json::serialize(results[0]);
  EXPECT_NE(fresh, pid);
  for (const auto& r : results) {
    EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
    EXPECT_EQ(r.at("pid"), fresh);
    EXPECT_EQ(r.at("previous_exit_code"), -15);  // how the one they all replaced ended
    EXPECT_EQ(r.at("matched_line"), "ready") << json::serialize(r);
  }
  auto svc = call("list", {{"command_or_label", "svc"}}).at("processes").as_array();
  std::size_t running = 0;
  for (const auto& p : svc) running += p.at("status") == "running";
  EXPECT_EQ(running, 1u);
  std::string old_log = combined(pid);
  EXPECT_EQ(count(old_log, "; restarting\n"), 1u) << old_log;
  EXPECT_EQ(count(old_log, "[SYSTEM] Restarted as PID " + std::to_string(fresh.as_int64())), 1u) << old_log;
  EXPECT_EQ(instance(static_cast<int>(fresh.as_int64()))->restarts(), 1);
}

TEST_F(Concurrent, StopJoiningARestartReportsTheOldInstance) {
  int pid = start_helper({"ready", "pause"}, {{"label", "svc"}});
  await_output(pid, "ready");
  auto results = calls_at_once("ctrl", {{{"action", "restart"}, {"pid", pid}}, {{"action", "stop"}, {"pid", pid}}});
  EXPECT_TRUE(results[0].at("error").is_null()) << json::serialize(results[0]);
  EXPECT_NE(results[0].at("pid"), pid);
  EXPECT_TRUE(results[1].at("error").is_null()) << json::serialize(results[1]);
  EXPECT_EQ(results[1].at("pid"), pid);
  EXPECT_EQ(results[1].at("exit_code"), -15);
}

// A forced stop that arrives during a graceful one's grace period kills at once:
// with a minute of grace, only the escalation ends both within the bound.
TEST(ConcurrentStop, ForceJoiningAGracefulStopKillsAtOnce) {
  boost::asio::io_context ioc;
  TempDir dir;
  Supervisor sup(ioc.get_executor(), dir.path(), StopTimings{std::chrono::minutes(1), 5s});
  auto started = sup.start(ProcessSpec{{kHelper, "ignore-term", "ready", "pause"}, dir.path(), {}, "", false});
  ASSERT_TRUE(started.error.empty()) << started.error;
  auto inst = started.process;
  int pid = inst->pid();
  // SIGTERM is ignored only once it has said so.
  ASSERT_TRUE(run_co(ioc, [&]() -> boost::asio::awaitable<bool> {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (read_file(inst->logs().combined_path).find("Z ready\n") == std::string::npos)
      if (!co_await inst->appended().wait_until(deadline)) co_return false;
    co_return true;
  }()));
  Target t{pid, std::nullopt, std::nullopt};
  auto graceful = boost::asio::co_spawn(ioc, sup.stop(t, false), boost::asio::use_future);
  auto forced = boost::asio::co_spawn(ioc, sup.stop(t, true), boost::asio::use_future);
  ASSERT_TRUE(run_co(ioc, inst->exited().wait_for(10s), 15s)) << "the forced stop did not kill at once";
  for (auto* f : {&graceful, &forced}) {
    while (f->wait_for(0s) != std::future_status::ready) ioc.run_one_for(10s);
    auto r = f->get();
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.exit_code, -9);
  }
  run_co(ioc, sup.shutdown(true));
}

}  // namespace
}  // namespace pp::test
