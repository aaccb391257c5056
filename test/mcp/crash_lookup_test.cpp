// The crash fallback: an ended process is still found by label or command, for
// output, list and restart, and a running match always wins over an ended one.
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class CrashLookup : public McpFixture {};

TEST_F(CrashLookup, OutputAndListFindACrashedProcessByLabel) {
  int pid = start_helper({"out:serving", "err:fatal: out of memory", "exit:70"}, {{"label", "api"}});
  await_exit(pid);
  auto out = call("output", {{"command_or_label", "api"}});
  ASSERT_TRUE(out.at("error").is_null()) << json::serialize(out);
  std::string all;
  for (const auto& l : out.at("output").as_array()) all += l.as_string();
  EXPECT_NE(all.find("fatal: out of memory"), std::string::npos) << all;
  auto procs = call("list", {{"command_or_label", "api"}}).at("processes").as_array();
  ASSERT_EQ(procs.size(), 1u);
  EXPECT_EQ(procs[0].at("status"), std::string("exited"));
  EXPECT_EQ(procs[0].at("exit_code").as_int64(), 70);
}

TEST_F(CrashLookup, RestartByLabelStartsACrashedProcessAgainAsItWas) {
  int pid = start_helper({"env:PP_Y", "exit:1"}, {{"label", "worker"}, {"environment", {{"PP_Y", "7"}}}});
  await_exit(pid);
  auto r = call("ctrl", {{"action", "restart"}, {"command_or_label", "worker"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  int fresh = static_cast<int>(r.at("pid").as_int64());
  EXPECT_NE(fresh, pid);
  EXPECT_EQ(r.at("label"), std::string("worker"));
  EXPECT_TRUE(r.at("exit_code").is_null());                // the new one runs
  EXPECT_EQ(r.at("previous_exit_code").as_int64(), 1);  // how the crashed one ended
  await_output(fresh, "PP_Y=7");
  EXPECT_EQ(instance(fresh)->spec().cwd, instance(pid)->spec().cwd);
  EXPECT_EQ(instance(fresh)->restarts(), 1);
}

TEST_F(CrashLookup, TheMostRecentlyEndedMatchIsChosen) {
  int first = start_helper({"out:first", "exit:1"}, {{"label", "job"}});
  await_exit(first);
  int second = start_helper({"out:second", "exit:2"}, {{"label", "job"}});
  await_exit(second);
  auto out = call("output", {{"command_or_label", "job"}, {"lines", 1000}});
  std::string all;
  for (const auto& l : out.at("output").as_array()) all += l.as_string();
  EXPECT_NE(all.find("second"), std::string::npos);
  EXPECT_EQ(all.find("Z first"), std::string::npos);
}

TEST_F(CrashLookup, ARunningMatchWinsOverAnEndedOne) {
  int ended = start_helper({"exit:0"}, {{"label", "web"}});
  await_exit(ended);
  int live = start_helper({"ready", "pause"}, {{"label", "web"}});
  await_output(live, "ready");
  auto r = call("ctrl", {{"action", "stop"}, {"command_or_label", "web"}});
  EXPECT_TRUE(r.at("error").is_null());
  EXPECT_EQ(r.at("pid").as_int64(), live);
}

TEST_F(CrashLookup, StoppingACrashedProcessSaysItIsNotRunning) {
  int pid = start_helper({"exit:4"}, {{"label", "gone"}});
  await_exit(pid);
  auto r = call("ctrl", {{"action", "stop"}, {"command_or_label", "gone"}});
  EXPECT_EQ(r.at("error"), "Process " + std::to_string(pid) + " is not running (exited).");
}

}  // namespace
}  // namespace pp::test
