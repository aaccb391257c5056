// The ctrl tool with real children: start, stop (grace, SIGKILL, groups), restart, errors.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/shell_words.hpp"
#include "mcp/mcp_fixture.hpp"
#include "os/process_group.hpp"

namespace pp::test {
namespace {

class Ctrl : public McpFixture {};

std::vector<int> grandchildren(const std::string& log) {
  std::vector<int> pids;
  for (std::size_t p = 0; (p = log.find("grandchild ", p)) != std::string::npos; p += 11)
    pids.push_back(std::atoi(log.c_str() + p + 11));
  return pids;
}

TEST_F(Ctrl, StartReturnsPidLabelAndLogPaths) {
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", kHelper + " out:hello pause"},
                         {"working_directory", dir.path()}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  int pid = static_cast<int>(r.at("pid").as_int64());
  EXPECT_EQ(r.at("action"), "start");
  EXPECT_EQ(r.at("label"), kHelper + " out:hello pause in " + dir.path());
  EXPECT_TRUE(r.at("exit_code").is_null());
  std::string base = dir.path() + "/" + std::to_string(pid) + ".";
  EXPECT_EQ(std::string_view(r.at("log_combined").as_string()).substr(0, base.size()), base);
  EXPECT_TRUE(r.at("log_stdout").as_string().ends_with(".stdout"));
  EXPECT_TRUE(r.at("log_stderr").as_string().ends_with(".stderr"));
  await_output(pid, "hello");
  EXPECT_NE(combined(pid).find("[SYSTEM] Process started"), std::string::npos);
}

TEST_F(Ctrl, StartNeedsCommandAndWorkingDirectory) {
  EXPECT_TRUE(call("ctrl", {{"action", "start"}, {"working_directory", dir.path()}}).at("error").is_string());
  EXPECT_TRUE(call("ctrl", {{"action", "start"}, {"command_or_label", "true"}}).at("error").is_string());
  EXPECT_NE(call("ctrl", {{"action", "start"}, {"command_or_label", "echo 'unterminated"}, {"working_directory", dir.path()}})
                .at("error")
                .as_string()
                .find("unterminated"),
            json::string::npos);
}

TEST_F(Ctrl, CommandNotFoundPermissionDeniedAndBadDirectoryAreErrorsWithoutEntries) {
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", "no-such-program-xyz"}, {"working_directory", dir.path()}});
  EXPECT_EQ(r.at("error"), "Command not found: no-such-program-xyz");
  std::string script = dir.path() + "/not-executable.sh";
  std::ofstream(script) << "#!/bin/sh\necho hi\n";
  ::chmod(script.c_str(), 0644);
  r = call("ctrl", {{"action", "start"}, {"command_or_label", script}, {"working_directory", dir.path()}});
  EXPECT_EQ(r.at("error"), "Permission denied: " + script);
  r = call("ctrl", {{"action", "start"}, {"command_or_label", "true"}, {"working_directory", dir.path() + "/missing"}});
  EXPECT_EQ(r.at("error"), "Working directory does not exist: " + dir.path() + "/missing");
  EXPECT_EQ(call("list", {}).at("processes").as_array().size(), 0u);
}

TEST_F(Ctrl, EmptyProgramRelativeOrFileDirectoryAndUnrunnableFileAreErrorsWithoutEntries) {
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", "'' x"}, {"working_directory", dir.path()}});
  EXPECT_EQ(r.at("error"), "Empty command");
  r = call("ctrl", {{"action", "start"}, {"command_or_label", "true"}, {"working_directory", "relative/dir"}});
  EXPECT_EQ(r.at("error"), "Working directory must be an absolute path: relative/dir");
  std::string file = dir.path() + "/a-file";
  std::ofstream(file) << "not a directory\n";
  r = call("ctrl", {{"action", "start"}, {"command_or_label", "true"}, {"working_directory", file}});
  EXPECT_EQ(r.at("error"), "Working directory is not a directory: " + file);
  // Executable, but neither a binary nor a script with #!: exec() refuses it.
  std::string junk = dir.path() + "/no-shebang";
  std::ofstream(junk) << "echo this needs an interpreter\n";
  ::chmod(junk.c_str(), 0755);
  r = call("ctrl", {{"action", "start"}, {"command_or_label", junk}, {"working_directory", dir.path()}});
  EXPECT_EQ(r.at("error"), "Cannot start " + junk + ": Exec format error");
  EXPECT_EQ(call("list", {}).at("processes").as_array().size(), 0u);
}

// Processes whose command line contains `marker` (a single /proc scan: the
// start call has already returned, so there is nothing to wait for).
std::vector<int> processes_with(const std::string& marker) {
  std::vector<int> pids;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    // Other processes on the machine exit while we scan: one gone meanwhile reads as empty.
    std::string cmdline = read_file((e.path() / "cmdline").string());
    if (cmdline.find(marker) != std::string::npos && pid_alive(std::stoi(name))) pids.push_back(std::stoi(name));
  }
  return pids;
}

TEST_F(Ctrl, LogDirectoryThatCannotBeMadeMeansAnErrorAndNoChildLeftRunning) {
  // The logs go into the fixture's directory: put a file where it was, so it can be
  // neither used nor created again (a removed directory alone is made again).
  struct Blocked {
    std::string from, to;
    ~Blocked() {
      ::unlink(from.c_str());
      ::rename(to.c_str(), from.c_str());  // back, even if the call throws
    }
  };
  Blocked blocked{dir.path(), dir.path() + ".moved"};
  ASSERT_EQ(::rename(blocked.from.c_str(), blocked.to.c_str()), 0);
  std::ofstream(blocked.from) << "not a directory\n";
  std::string marker = "out:marker-" + std::to_string(::getpid());
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", kHelper + " " + marker + " pause"},
                         {"working_directory", "/"}});
  ASSERT_TRUE(r.at("error").is_string()) << json::serialize(r);
  EXPECT_TRUE(r.at("error").as_string().starts_with("cannot create log file " + dir.path() + "/")) << json::serialize(r);
  EXPECT_NE(r.at("error").as_string().find("Not a directory"), json::string::npos) << json::serialize(r);
  EXPECT_TRUE(r.at("pid").is_null());
  EXPECT_EQ(call("list", {}).at("processes").as_array().size(), 0u);
  EXPECT_EQ(processes_with(marker), std::vector<int>{});
}

TEST_F(Ctrl, DuplicateLabelIsRefused) {
  int pid = start_helper({"pause"}, {{"label", "web"}});
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", kHelper + " pause"}, {"working_directory", dir.path()},
                         {"label", "web"}});
  EXPECT_EQ(r.at("error"), "Process with label 'web' already running with PID " + std::to_string(pid) + ".");
}

TEST_F(Ctrl, EnvironmentIsLaidOverTheServers) {
  ::setenv("PP_TEST_INHERITED", "from-server", 1);
  int pid = start_helper({"env:PP_TEST_VAR", "env:PP_TEST_INHERITED", "env:PATH", "exit:0"},
                         {{"environment", {{"PP_TEST_VAR", "hello world"}, {"PATH", "/custom/bin:/usr/bin:/bin"}}}});
  await_exit(pid);
  std::string log = combined(pid);
  EXPECT_NE(log.find("PP_TEST_VAR=hello world"), std::string::npos);
  EXPECT_NE(log.find("PP_TEST_INHERITED=from-server"), std::string::npos);
  EXPECT_NE(log.find("PATH=/custom/bin:/usr/bin:/bin"), std::string::npos);
}

TEST_F(Ctrl, ChildRunsInItsWorkingDirectoryAndOwnSession) {
  int pid = start_helper({"pwd", "ready", "pause"});
  await_output(pid, "ready");
  EXPECT_NE(combined(pid).find(" " + dir.path() + "\n"), std::string::npos);
  EXPECT_EQ(::getsid(pid), pid);
  EXPECT_EQ(::getpgid(pid), pid);
}

TEST_F(Ctrl, ExitByItselfRecordsCodeAndSystemLine) {
  int pid = start_helper({"out:bye", "exit:3"});
  await_exit(pid);
  auto p = call("list", {{"pid", pid}}).at("processes").at(0).as_object();
  EXPECT_EQ(p.at("status"), "exited");
  EXPECT_EQ(p.at("exit_code"), 3);
  EXPECT_TRUE(p.at("end_time").is_string());
  std::string log = combined(pid);
  EXPECT_LT(log.find("bye"), log.find("[SYSTEM] Process exited with code 3"));
}

TEST_F(Ctrl, KilledBySignalReportsNegativeSignal) {
  int pid = start_helper({"kill-self:9"});
  await_exit(pid);
  EXPECT_EQ(call("list", {{"pid", pid}}).at("processes").at(0).at("exit_code"), -9);
}

TEST_F(Ctrl, StopSendsTermAndReportsHowItEnded) {
  int pid = start_helper({"term-exit:7", "ready", "pause"});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "stop"}, {"pid", pid}});
  EXPECT_TRUE(r.at("error").is_null());
  EXPECT_EQ(r.at("exit_code"), 7);
  auto p = call("list", {{"pid", pid}}).at("processes").at(0).as_object();
  EXPECT_EQ(p.at("status"), "terminated");
  EXPECT_NE(combined(pid).find("got TERM"), std::string::npos);
}

TEST_F(Ctrl, StopEscalatesToSigkillForATermIgnoringChild) {
  int pid = start_helper({"ignore-term", "ready", "pause"});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "stop"}, {"pid", pid}});
  EXPECT_TRUE(r.at("error").is_null());
  EXPECT_EQ(r.at("exit_code"), -9);
}

TEST_F(Ctrl, ForceStopKillsAtOnce) {
  int pid = start_helper({"term-exit:0", "ready", "pause"});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "stop"}, {"pid", pid}, {"force", true}});
  EXPECT_EQ(r.at("exit_code"), -9);
  EXPECT_EQ(combined(pid).find("got TERM"), std::string::npos);
}

TEST_F(Ctrl, StopTakesTheWholeProcessGroupIncludingStubbornGrandchildren) {
  int pid = start_helper({"fork:2", "fork-stubborn:1", "ready", "pause"});
  await_output(pid, "ready");
  auto kids = grandchildren(combined(pid));
  ASSERT_EQ(kids.size(), 3u);
  for (int k : kids) EXPECT_TRUE(pid_alive(k));
  auto r = call("ctrl", {{"action", "stop"}, {"pid", pid}});
  EXPECT_TRUE(r.at("error").is_null());
  for (int k : kids) EXPECT_FALSE(pid_alive(k)) << "grandchild " << k << " survived";
}

TEST_F(Ctrl, StoppingAnEndedProcessIsAnError) {
  int pid = start_helper({"exit:0"});
  await_exit(pid);
  auto r = call("ctrl", {{"action", "stop"}, {"pid", pid}});
  EXPECT_NE(r.at("error").as_string().find("not running"), json::string::npos);
}

TEST_F(Ctrl, RestartKeepsCommandDirectoryEnvironmentAndLabel) {
  int pid = start_helper({"env:PP_X", "ready", "pause"}, {{"environment", {{"PP_X", "42"}}}, {"label", "svc"}});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "restart"}, {"command_or_label", "svc"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  int fresh = static_cast<int>(r.at("pid").as_int64());
  EXPECT_NE(fresh, pid);
  EXPECT_EQ(r.at("label"), "svc");
  EXPECT_TRUE(r.at("exit_code").is_null());  // the new instance runs
  EXPECT_EQ(r.at("previous_exit_code"), -15);
  EXPECT_NE(r.at("log_combined"), instance(pid)->logs().combined_path);
  await_output(fresh, "ready");
  EXPECT_NE(combined(fresh).find("PP_X=42"), std::string::npos);
  auto a = instance(pid), b = instance(fresh);
  EXPECT_EQ(a->spec().command, b->spec().command);
  EXPECT_EQ(a->spec().cwd, b->spec().cwd);
  EXPECT_EQ(a->status(), Status::terminated);
  EXPECT_TRUE(b->running());
}

TEST_F(Ctrl, RestartLeavesItsTrailInTheOldLog) {
  int pid = start_helper({"ready", "pause"}, {{"label", "svc"}});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "restart"}, {"pid", pid}});
  int fresh = static_cast<int>(r.at("pid").as_int64());
  std::string log = combined(pid);
  auto exit_line = log.find("[SYSTEM] Process terminated by signal 15 (exit code -15); restarting\n");
  auto restart_line = log.find("[SYSTEM] Restarted as PID " + std::to_string(fresh) + ", log " +
                               instance(fresh)->logs().combined_path + "\n");
  ASSERT_NE(exit_line, std::string::npos) << log;
  ASSERT_NE(restart_line, std::string::npos) << log;
  EXPECT_LT(exit_line, restart_line);
  EXPECT_TRUE(log.ends_with(instance(fresh)->logs().combined_path + "\n"));
  // Reading the old log by pid still works with the extra line.
  auto out = call("output", {{"pid", pid}, {"lines", 1}});
  EXPECT_EQ(out.at("lines_after"), 0);
  EXPECT_EQ(out.at("lines_before"), 3);
}

TEST_F(Ctrl, FailedRestartIsReportedInTheOldLog) {
  TempDir gone;
  std::string where = gone.path() + "/sub";
  std::filesystem::create_directory(where);
  int pid = start_helper({"ready", "pause"}, {{"working_directory", where}});
  await_output(pid, "ready");
  std::filesystem::remove(where);  // the running process keeps a deleted cwd
  auto r = call("ctrl", {{"action", "restart"}, {"pid", pid}});
  EXPECT_EQ(r.at("error"), "Working directory does not exist: " + where);
  std::string log = combined(pid);
  EXPECT_NE(log.find("; restarting\n"), std::string::npos);
  EXPECT_TRUE(log.ends_with("[SYSTEM] Restart failed: Working directory does not exist: " + where + "\n")) << log;
}

TEST_F(Ctrl, LookupByCommandIsNarrowedByWorkingDirectoryAndAmbiguityListsCandidates) {
  TempDir other;
  int a = start_helper({"pause"});
  int b = start_helper({"pause"}, {{"working_directory", other.path()}});
  std::string cmd = shell_join({kHelper, "pause"});
  auto r = call("ctrl", {{"action", "stop"}, {"command_or_label", cmd}});
  std::string err(r.at("error").as_string());
  for (int pid : {a, b}) EXPECT_NE(err.find("PID " + std::to_string(pid)), std::string::npos) << err;
  EXPECT_NE(err.find(dir.path()), std::string::npos);
  EXPECT_NE(err.find(other.path()), std::string::npos);
  EXPECT_NE(err.find("label '" + cmd + " in " + other.path() + "'"), std::string::npos);
  r = call("ctrl", {{"action", "stop"}, {"command_or_label", cmd}, {"working_directory", other.path() + "/"}});
  EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_EQ(r.at("pid"), b);
}

TEST_F(Ctrl, PidWinsOverCommand) {
  int a = start_helper({"pause"});
  auto r = call("ctrl", {{"action", "stop"}, {"pid", a}, {"command_or_label", "unrelated"}});
  EXPECT_TRUE(r.at("error").is_null());
  EXPECT_EQ(r.at("pid"), a);
}

TEST_F(Ctrl, NoMatchIsAnError) {
  auto r = call("ctrl", {{"action", "restart"}, {"command_or_label", "ghost"}});
  EXPECT_EQ(r.at("error"), "No process found matching 'ghost'.");
  r = call("ctrl", {{"action", "stop"}, {"pid", 999999}});
  EXPECT_EQ(r.at("error"), "No process found with PID 999999.");
}

TEST_F(Ctrl, LeaderExitWithAWriterLeftBehindDoesNotHoldTheServer) {
  // `yes` keeps the pipes full forever; the exit must still be recorded at once.
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", "sh -c 'yes & exit 3'"}, {"working_directory", dir.path()}});
  int pid = static_cast<int>(r.at("pid").as_int64());
  await_exit(pid);
  EXPECT_EQ(call("list", {{"pid", pid}}).at("processes").at(0).at("exit_code"), 3);
  EXPECT_FALSE(group_members(pid).empty());  // yes lives on in the group
  run_co(ioc, sup->shutdown(false));
  EXPECT_TRUE(group_members(pid).empty()) << "shutdown left the ended entry's group running";
}

TEST_F(Ctrl, StopKeepsThePipelinesFinalOutputAndEndsWithTheExitLine) {
  // sh dies at once on SIGTERM; the first stage says goodbye through the last one,
  // which ignores SIGTERM and ends when its input does.
  std::string cmd = "sh -c '" + kHelper + " term-exit:0 out:ready pause | " + kHelper + " ignore-term copy-stdin'";
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", cmd}, {"working_directory", dir.path()}});
  int pid = static_cast<int>(r.at("pid").as_int64());
  await_output(pid, "ready");
  auto s = call("ctrl", {{"action", "stop"}, {"pid", pid}});
  EXPECT_TRUE(s.at("error").is_null()) << json::serialize(s);
  EXPECT_EQ(s.at("exit_code"), -15);
  std::string log = combined(pid);
  auto goodbye = log.find("Z got TERM\n");
  auto exit_line = log.find("[SYSTEM] Process terminated by signal 15");
  ASSERT_NE(goodbye, std::string::npos) << log;
  ASSERT_NE(exit_line, std::string::npos) << log;
  EXPECT_LT(goodbye, exit_line);
  EXPECT_TRUE(group_members(pid).empty());
}

TEST_F(Ctrl, NewlinesInACommandStayInsideOneLogLine) {
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", "sh -c 'echo a\necho b'"}, {"working_directory", dir.path()}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  int pid = static_cast<int>(r.at("pid").as_int64());
  await_exit(pid);
  std::string log = combined(pid);
  std::size_t lines = 0;
  for (std::size_t start = 0, nl; (nl = log.find('\n', start)) != std::string::npos; start = nl + 1, ++lines)
    EXPECT_TRUE(parse_line_stamp(std::string_view(log).substr(start, nl - start))) << log;
  EXPECT_EQ(lines, 4u);  // started, a, b, exited
  auto out = call("output", {{"pid", pid}, {"before_time", "2999-01-01T00:00:00Z"}});
  EXPECT_EQ(out.at("output").as_array().size(), 4u);
  EXPECT_EQ(out.at("lines_after"), 0);
}

TEST_F(Ctrl, NothingStartsOnceShutdownBegan) {
  int pid = start_helper({"pause"});
  run_co(ioc, sup->shutdown(false));
  EXPECT_FALSE(instance(pid)->running());
  auto r = call("ctrl", {{"action", "start"}, {"command_or_label", "true"}, {"working_directory", dir.path()}});
  EXPECT_NE(r.at("error").as_string().find("shutting down"), json::string::npos);
}

TEST_F(Ctrl, TableKeepsRunningPlusTenMostRecentlyEnded) {
  int running = start_helper({"pause"});
  std::vector<int> ended;
  for (int i = 0; i < 12; ++i) {
    ended.push_back(start_helper({"exit:" + std::to_string(i)}));
    await_exit(ended.back());
  }
  auto procs = call("list", {}).at("processes").as_array();
  ASSERT_EQ(procs.size(), 11u);
  EXPECT_EQ(procs[0].at("pid"), running);
  for (const auto& p : procs) {
    EXPECT_NE(p.at("pid"), ended[0]);
    EXPECT_NE(p.at("pid"), ended[1]);
  }
}

}  // namespace
}  // namespace pp::test
