// Restart policies end to end (docs/cli.md#restart-policy): the start options, the
// long list's lines, a stop during the wait, the usage errors, and `run` following
// a restart by policy (or ending as stopped when stopped during the wait). Every
// wait is on a log line, the terminal's output or a pid.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include "e2e/run_fixture.hpp"

namespace pp::test {
namespace {

using RestartPolicyCli = Run;

json::object parsed(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return json::parse(r.out).as_object();
}

// The combined log a restart continues in, from the old log's last line.
std::string next_log(const std::string& old_log) {
  EXPECT_TRUE(await_file_contains(old_log, " [SYSTEM] Restarted as PID ")) << read_file(old_log);
  std::string text = read_file(old_log);
  auto at = text.find(", log ", text.find(" [SYSTEM] Restarted as PID "));
  return text.substr(at + 6, text.find('\n', at) - at - 6);
}

TEST_F(RestartPolicyCli, StartTakesAPolicyAndListShowsItToTheEnd) {
  auto st = parsed(s.cli({"start", "--format", "json", "--label", "flaky", "--restart", "on-failure", "--max-restarts",
                          "1", "--backoff", "0.1", kHelper, "out:up", "exit:3"}));
  std::string second_log = next_log(std::string(st.at("log_combined").as_string()));
  // The second crash is the last: its exit line says no restart follows.
  ASSERT_TRUE(await_file_contains(second_log, " [SYSTEM] Process exited with code 3\n")) << read_file(second_log);
  auto entries = parsed(s.cli({"list", "--format", "json", "--command-or-label", "flaky"})).at("processes").as_array();
  ASSERT_EQ(entries.size(), 2u);
  const auto& last = entries[1].as_object();
  EXPECT_EQ(last.at("restart"), "on-failure");
  EXPECT_EQ(last.at("restarts").as_int64(), 1);
  EXPECT_TRUE(last.at("next_restart_in_s").is_null());
  auto text = s.cli({"list", "--long", "--command-or-label", "flaky"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("  Restart policy: on-failure\n  Restarts: 1\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  Note: not restarted: its restart policy (on-failure) reached max_restarts, 1 restarts "
                          "in a row, none of them up for 60 s\n"),
            std::string::npos)
      << text.out;
}

TEST_F(RestartPolicyCli, AStopDuringTheWaitEndsIt) {
  auto st = parsed(s.cli({"start", "--format", "json", "--label", "again", "--restart", "always", "--backoff", "30",
                          kHelper, "out:bye", "exit:0"}));
  std::string log = std::string(st.at("log_combined").as_string());
  ASSERT_TRUE(await_file_contains(log, " [SYSTEM] Process exited with code 0; restarting\n")) << read_file(log);
  auto waiting = s.cli({"list", "--long", "--command-or-label", "again"});
  EXPECT_NE(waiting.out.find("(exited)\n"), std::string::npos) << waiting.out;
  EXPECT_NE(waiting.out.find("  Restart policy: always; restarting in "), std::string::npos) << waiting.out;
  auto stop = s.cli({"stop", "again"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_EQ(stop.out, "Stopped process with PID: " + std::to_string(st.at("pid").as_int64()) + " (exit code 0)\n");
  auto entry = parsed(s.cli({"list", "--format", "json", "--command-or-label", "again"})).at("processes").at(0);
  EXPECT_EQ(entry.at("status"), "terminated");
  EXPECT_TRUE(entry.at("next_restart_in_s").is_null());
  EXPECT_EQ(s.cli({"stop", "again"}).exit_code, 1);  // not running, and no longer waiting
}

TEST_F(RestartPolicyCli, BadValuesAreUsageErrors) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  std::vector<Case> cases{
      {{"start", "--restart", "sometimes", kHelper, "pause"}, "sometimes"},
      {{"start", "--restart", "always", "--backoff=-1", kHelper, "pause"}, "--backoff"},
      {{"start", "--restart", "always", "--backoff", "4000", kHelper, "pause"}, "--backoff"},
      {{"start", "--restart", "always", "--max-restarts", "lots", kHelper, "pause"}, "--max-restarts"},
      {{"start", "--max-restarts", "3", kHelper, "pause"},
       "persistproc start: --max-restarts and --backoff go with --restart on-failure or always\n"},
      {{"start", "--restart", "no", "--backoff", "2", kHelper, "pause"},
       "persistproc start: --max-restarts and --backoff go with --restart on-failure or always\n"},
      {{"ctrl", "--restart", "always", "stop", "web"},
       "persistproc ctrl: --restart, --max-restarts and --backoff go with start only (a restart keeps the policy)\n"},
  };
  for (const auto& c : cases) {
    auto r = s.cli(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[2] << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  EXPECT_TRUE(processes().empty());
  // on_failure is a spelling of on-failure.
  auto ok = parsed(s.cli({"start", "--format", "json", "--restart", "on_failure", kHelper, "pause"}));
  EXPECT_EQ(only_process().at("restart"), "on-failure");
}

TEST_F(RestartPolicyCli, RunFollowsARestartByPolicy) {
  auto st = parsed(s.cli({"start", "--format", "json", "--label", "web", "--restart", "on-failure", "--backoff", "0.1",
                          kHelper, "out:ready", "term-exit:3", "pause"}));
  int old = static_cast<int>(st.at("pid").as_int64());
  ASSERT_TRUE(await_file_contains(std::string(st.at("log_combined").as_string()), " ready\n"));
  auto p = pty({"run", "--on-exit", "detach", "--label", "web", kHelper, "out:ready", "term-exit:3", "pause"});
  ASSERT_TRUE(p->await_output("attached to PID " + std::to_string(old))) << p->transcript();
  std::size_t mark = p->transcript().size();
  ::kill(old, SIGTERM);  // not a stop: it exits 3, a failure
  ASSERT_TRUE(p->await_output("got TERM", mark)) << p->transcript();
  ASSERT_TRUE(p->await_output("process " + std::to_string(old) +
                              " exited with code 3; its restart policy starts it again in ", mark))
      << p->transcript();
  ASSERT_TRUE(p->await_output("restarted: PID " + std::to_string(old) + " -> ", mark)) << p->transcript();
  ASSERT_TRUE(p->await_output("ready\r\n", mark)) << p->transcript();
  // Not the end of the run: a restart is no exit.
  EXPECT_EQ(p->transcript().find(" exited with code 3\r\n", mark), std::string::npos) << p->transcript();
  p->send("\x03");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
}

TEST_F(RestartPolicyCli, RunStoppingDuringTheWaitEndsAsStopped) {
  auto st = parsed(s.cli({"start", "--format", "json", "--label", "web", "--restart", "always", "--backoff", "30",
                          kHelper, "out:ready", "term-exit:0", "pause"}));
  int pid = static_cast<int>(st.at("pid").as_int64());
  std::string log = std::string(st.at("log_combined").as_string());
  ASSERT_TRUE(await_file_contains(log, " ready\n"));
  auto p = pty({"run", "--on-exit", "stop", "--label", "web", kHelper, "out:ready", "term-exit:0", "pause"});
  ASSERT_TRUE(p->await_output("attached to PID " + std::to_string(pid))) << p->transcript();
  ::kill(pid, SIGTERM);
  ASSERT_TRUE(await_file_contains(log, " [SYSTEM] Process exited with code 0; restarting\n")) << read_file(log);
  ASSERT_TRUE(p->await_output("got TERM")) << p->transcript();
  ASSERT_TRUE(p->await_output("process " + std::to_string(pid) +
                              " exited with code 0; its restart policy starts it again in "))
      << p->transcript();
  p->send("\x03");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_NE(p->transcript().find("stopped PID " + std::to_string(pid) + " before its restart"), std::string::npos)
      << p->transcript();
  EXPECT_EQ(only_process().at("status"), "terminated");
}

}  // namespace
}  // namespace pp::test
