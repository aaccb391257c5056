// A pid that comes round again does not take over an ended instance's logs: the
// reproduction of the robustness issue, with the kernel asked for that pid again
// through /proc/sys/kernel/ns_last_pid (root only; the unit test
// LogTrouble.ARecycledPidGetsNewNamesAndTheOldLogsStay covers the naming anywhere).
#include <unistd.h>

#include <signal.h>

#include <filesystem>
#include <fstream>

#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class RecycledPid : public McpFixture {};

// Asks the kernel to hand out `pid` to the next process created (it gives last + 1).
bool next_pid_will_be(int pid) {
  std::ofstream f("/proc/sys/kernel/ns_last_pid");
  f << (pid - 1);
  f.close();
  return static_cast<bool>(f);
}

std::vector<std::string> texts(const json::object& output) {
  std::vector<std::string> v;
  for (const auto& l : output.at("output").as_array()) v.emplace_back(l.as_string());
  return v;
}

bool has_text(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines)
    if (l.find(" " + text + "\n") != std::string::npos) return true;
  return false;
}

TEST_F(RecycledPid, TheEndedInstancesLogsStayItsOwn) {
  if (::geteuid() != 0 || !next_pid_will_be(::getpid() + 1000))
    GTEST_SKIP() << "needs root to set /proc/sys/kernel/ns_last_pid";
  // The same command twice, so the two instances' log names would be the same.
  int old = start_helper({"env:MSG", "pause"}, {{"label", "old"}, {"environment", {{"MSG", "OLD"}}}});
  await_output(old, "MSG=OLD");
  call("ctrl", {{"action", "stop"}, {"pid", old}, {"force", true}});
  // Other processes on the machine may take the pid first: a few tries.
  int fresh = -1;
  for (int attempt = 0; attempt < 100 && fresh != old; ++attempt) {
    if (fresh > 0) call("ctrl", {{"action", "stop"}, {"pid", fresh}, {"force", true}});
    ASSERT_TRUE(next_pid_will_be(old));
    fresh = start_helper({"env:MSG", "pause"}, {{"label", "new" + std::to_string(attempt)}, {"environment", {{"MSG", "NEW"}}}});
  }
  // (A machine forking busily can take the pid each time; the naming itself is
  // covered without the kernel by LogTrouble.ARecycledPidGetsNewNamesAndTheOldLogsStay.)
  if (fresh != old) GTEST_SKIP() << "other processes took pid " << old << " 100 times running";
  await_output(fresh, "MSG=NEW");
  auto old_lines = texts(call("output", {{"command_or_label", "old"}}));
  EXPECT_TRUE(has_text(old_lines, "MSG=OLD"));
  EXPECT_FALSE(has_text(old_lines, "MSG=NEW"));
  EXPECT_NE(instance(fresh)->logs().combined_path, std::string());
  auto listed = call("list", {{"command_or_label", "old"}});
  auto old_log = std::string(listed.at("processes").at(0).at("log_combined").as_string());
  EXPECT_NE(old_log, instance(fresh)->logs().combined_path);
}

class LogDirRemoved : public McpFixture {};

TEST_F(LogDirRemoved, StartsWorkAndRunningInstancesLogOnInNewFiles) {
  std::string logs = dir.path();  // where the fixture's supervisor logs
  int running = start_helper({"usr1:after", "out:before", "pause"});
  await_output(running, "before");
  std::filesystem::remove_all(logs);  // `rm -rf process_logs` under the server
  int later = start_helper({"out:started", "pause"}, {{"working_directory", "/"}});  // (the usual one went too)
  await_output(later, "started");
  ::kill(running, SIGUSR1);
  await_output(running, "after");
  std::string combined = read_file(instance(running)->logs().combined_path);
  EXPECT_EQ(combined.find("before"), std::string::npos) << combined;  // that file is gone
  EXPECT_NE(combined.find("was deleted while in use"), std::string::npos) << combined;
}

}  // namespace
}  // namespace pp::test
