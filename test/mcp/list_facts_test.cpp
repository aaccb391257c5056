// list's live facts: the ports a process group listens on, its memory, uptime and
// how many restarts led to it.
#include <signal.h>

#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class ListFacts : public McpFixture {};

TEST_F(ListFacts, PortsMemoryUptimeAndRestartsOfARunningProcess) {
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", kHelper + " listen pause"},
                         {"working_directory", dir.path()}, {"label", "web"}, {"wait_for", "^listening on \\d+$"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  int port = std::stoi(std::string(r.at("matched_line").as_string()).substr(13));
  auto p = call("list", {{"command_or_label", "web"}}).at("processes").at(0).as_object();
  ASSERT_EQ(p.at("ports").as_array().size(), 1u) << json::serialize(p);
  EXPECT_EQ(p.at("ports").at(0).as_int64(), port);
  EXPECT_GT(p.at("rss_bytes").as_int64(), 0);
  EXPECT_GE(p.at("uptime_s").as_int64(), 0);
  EXPECT_EQ(p.at("restarts").as_int64(), 0);

  r = call("ctrl", {{"action", "restart"}, {"command_or_label", "web"}, {"wait_for", "^listening on"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  r = call("ctrl", {{"action", "restart"}, {"command_or_label", "web"}, {"wait_for", "^listening on"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  int fresh_port = std::stoi(std::string(r.at("matched_line").as_string()).substr(13));
  p = call("list", {{"pid", r.at("pid")}}).at("processes").at(0).as_object();
  EXPECT_EQ(p.at("restarts").as_int64(), 2);
  EXPECT_EQ(p.at("ports").at(0).as_int64(), fresh_port);
}

TEST_F(ListFacts, AGrandchildsListeningSocketCountsForTheGroup) {
  // The leader only forks; the listener is its child, as with `npm run dev`.
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", kHelper + " fork-listen pause"},
                         {"working_directory", dir.path()}, {"wait_for", "^listening on \\d+$"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  int port = std::stoi(std::string(r.at("matched_line").as_string()).substr(13));
  auto p = call("list", {{"pid", r.at("pid")}}).at("processes").at(0).as_object();
  ASSERT_EQ(p.at("ports").as_array().size(), 1u) << json::serialize(p);
  EXPECT_EQ(p.at("ports").at(0).as_int64(), port);
}

TEST_F(ListFacts, OneCallGivesEachGroupItsOwnFacts) {
  // list finds every group's members in one pass over /proc: each entry must still
  // get its own group's ports, and an ended entry none.
  std::map<int, int> port_of;
  for (const char* label : {"a", "b"}) {
    auto r = call("ctrl", {{"action", "start"}, {"command_or_label", kHelper + " fork-listen pause"},
                           {"working_directory", dir.path()}, {"label", label}, {"wait_for", "^listening on \\d+$"}});
    ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
    port_of[static_cast<int>(r.at("pid").as_int64())] = std::stoi(std::string(r.at("matched_line").as_string()).substr(13));
  }
  int ended = start_helper({"exit:0"});
  await_exit(ended);
  auto procs = call("list", {}).at("processes").as_array();
  ASSERT_EQ(procs.size(), 3u) << json::serialize(procs);
  for (const auto& v : procs) {
    const auto& p = v.as_object();
    int pid = static_cast<int>(p.at("pid").as_int64());
    if (pid == ended) {
      EXPECT_TRUE(p.at("ports").as_array().empty());
      continue;
    }
    ASSERT_EQ(p.at("ports").as_array().size(), 1u) << json::serialize(p);
    EXPECT_EQ(p.at("ports").at(0).as_int64(), port_of.at(pid));
    EXPECT_GT(p.at("rss_bytes").as_int64(), 0);
  }
}

// Ports and memory are reused for a second when calls come faster, but not
// past output: a port opened as the process says so shows in the next list.
TEST_F(ListFacts, APortOpenedAfterAListShowsOnceTheProcessSaysSo) {
  int pid = start_helper({"await-usr1:ready", "listen", "pause"});
  await_output(pid, "ready");
  auto p = call("list", {{"pid", pid}}).at("processes").at(0).as_object();
  EXPECT_TRUE(p.at("ports").as_array().empty()) << json::serialize(p);
  ASSERT_EQ(::kill(pid, SIGUSR1), 0);
  auto inst = instance(pid);
  bool listening = run_co(ioc, [&]() -> boost::asio::awaitable<bool> {  // the port is not known yet
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (read_file(inst->logs().combined_path).find("Z listening on ") == std::string::npos) {
      if (std::chrono::steady_clock::now() >= deadline) co_return false;
      co_await inst->appended().wait_until(deadline);
    }
    co_return true;
  }());
  ASSERT_TRUE(listening) << combined(pid);
  std::string log = combined(pid);
  int port = std::atoi(log.c_str() + log.find("Z listening on ") + 15);
  p = call("list", {{"pid", pid}}).at("processes").at(0).as_object();
  ASSERT_EQ(p.at("ports").as_array().size(), 1u) << json::serialize(p);
  EXPECT_EQ(p.at("ports").at(0).as_int64(), port);
}

TEST_F(ListFacts, EndedProcessesHaveNoLiveFacts) {
  int pid = start_helper({"exit:0"});
  await_exit(pid);
  auto p = call("list", {{"pid", pid}}).at("processes").at(0).as_object();
  EXPECT_TRUE(p.at("ports").as_array().empty());
  EXPECT_TRUE(p.at("rss_bytes").is_null());
  EXPECT_TRUE(p.at("uptime_s").is_null());
}

TEST_F(ListFacts, TheServerEntryShowsItsOwnMemory) {
  auto p = call("list", {{"pid", 0}}).at("processes").at(0).as_object();
  EXPECT_GT(p.at("rss_bytes").as_int64(), 0);
  EXPECT_TRUE(p.at("ports").is_array());
}

}  // namespace
}  // namespace pp::test
