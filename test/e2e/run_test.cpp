// `persistproc run` end to end: in a real pseudo-terminal for Ctrl+C and the
// prompt, on pipes for scripts. Every wait is on output, a file or a pid.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <filesystem>

#include "e2e/run_fixture.hpp"

namespace pp::test {
namespace {

TEST_F(Run, ImplicitFormShowsOutputWithoutStampsAndPassesTheExitCode) {
  auto p = pty({kHelper, "out:hello", "err:warning", "exit:7"});
  EXPECT_EQ(p->wait_exit(), 7) << p->transcript();
  const std::string& t = p->transcript();
  EXPECT_NE(t.find("hello\r\n"), std::string::npos) << t;
  EXPECT_NE(t.find("warning\r\n"), std::string::npos);
  EXPECT_EQ(t.find("[SYSTEM]"), std::string::npos);
  EXPECT_EQ(t.find("Z hello"), std::string::npos);  // no stamps
  EXPECT_NE(t.find("exited with code 7"), std::string::npos);
  EXPECT_EQ(only_process().at("exit_code"), 7);
}

TEST_F(Run, SignalDeathExitsWith128PlusSignal) {
  auto r = run_program(argv({"run", kHelper, "kill-self:9"}), env(), 30s, cwd.path());
  EXPECT_EQ(r.exit_code, 137) << r.err;
}

TEST_F(Run, EveryLineFromTheFirstEvenWhenTheChildIsQuick) {
  auto r = run_program(argv({"run", "--", kHelper, "lines:5000", "exit:0"}), env(), 60s, cwd.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string expect;
  for (int i = 1; i <= 5000; ++i) expect += "line " + std::to_string(i) + "\n";
  EXPECT_EQ(r.out, expect);
}

TEST_F(Run, RawShowsStampsAndSystemLines) {
  auto r = run_program(argv({"run", "--raw", kHelper, "out:x", "exit:0"}), env(), 30s, cwd.path());
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Z [SYSTEM] Process started"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Z x\n"), std::string::npos);
  EXPECT_NE(r.out.find("Z [SYSTEM] Process exited with code 0"), std::string::npos);
}

TEST_F(Run, GlobalOptionsGoBeforeTheProgram) {
  auto e = env();
  e["PERSISTPROC_PORT"] = "1";  // wrong on purpose: the flag wins
  auto r = run_program(argv({"--port", std::to_string(s.port()), "--format", "text", kHelper, "out:via flag", "exit:0"}),
                       e, 30s, cwd.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "via flag\n");
  // After the program they belong to the program.
  r = run_program(argv({"run", kHelper, "out:x", "--port", "1"}), env(), 30s, cwd.path());
  EXPECT_EQ(r.exit_code, 100);  // the helper rejects the unknown action "--port"
}

TEST_F(Run, SingleStringIsShellSplit) {
  auto r = run_program(argv({"run", kHelper + " 'out:a  b' exit:0"}), env(), 30s, cwd.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a  b\n");
  EXPECT_EQ(only_process().at("command"), (json::array{kHelper, "out:a  b", "exit:0"}));
}

TEST_F(Run, CtrlCDetachLeavesTheProcessRunning) {
  auto p = pty({"run", "--on-exit", "detach", kHelper, "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  p->send("\x03");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_NE(p->transcript().find("detached"), std::string::npos);
  EXPECT_EQ(only_process().at("status"), "running");
}

TEST_F(Run, CtrlCStopShowsFinalOutputThenExitsZero) {
  auto p = pty({"run", "--on-exit", "stop", kHelper, "term-exit:0", "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  p->send("\x03");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_NE(p->transcript().find("got TERM\r\n"), std::string::npos) << p->transcript();
  EXPECT_EQ(only_process().at("status"), "terminated");
}

TEST_F(Run, AskYesStops) {
  auto p = pty({kHelper, "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  p->send("\x03");
  ASSERT_TRUE(p->await_output("Stop running process '" + kHelper + " out:ready pause' (PID ")) << p->transcript();
  ASSERT_TRUE(p->await_output("? " + kPrompt));
  p->send("y");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_EQ(only_process().at("status"), "terminated");
}

TEST_F(Run, AskNoDetachesAndHeldOutputFollowsTheAnswer) {
  auto p = pty({kHelper, "usr1:during the prompt", "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  p->send("\x03");
  ASSERT_TRUE(p->await_output(kPrompt)) << p->transcript();
  auto proc = only_process();
  ::kill(static_cast<int>(proc.at("pid").as_int64()), SIGUSR1);
  ASSERT_TRUE(await_file_contains(std::string(proc.at("log_combined").as_string()), "Z during the prompt\n"));
  std::size_t answered = p->transcript().size();
  p->send("n");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_NE(p->transcript().find("during the prompt", answered), std::string::npos) << p->transcript();
  EXPECT_EQ(only_process().at("status"), "running");
}

TEST_F(Run, CtrlCAtThePromptDetaches) {
  auto p = pty({kHelper, "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n"));
  p->send("\x03");
  ASSERT_TRUE(p->await_output(kPrompt));
  p->send("\x03");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_EQ(only_process().at("status"), "running");
  // The terminal is usable again: canonical mode and echo are back (checked by `run` exiting
  // through the same restore path; a hung raw terminal would leave no exit at all).
}

TEST_F(Run, WithoutATerminalCtrlCDetaches) {
  // stdin is /dev/null: `ask` behaves as `detach`. SIGINT is what Ctrl+C sends.
  std::map<std::string, std::string> e = env();
  auto r_pid = -1;
  {
    auto p = std::make_unique<PtyProcess>(std::vector<std::string>{"/bin/sh", "-c", "exec " + kBin + " run " + kHelper +
                                                                                        " out:ready pause </dev/null"},
                                          e, cwd.path());
    ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
    r_pid = p->pid();
    ::kill(r_pid, SIGINT);
    EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
    EXPECT_NE(p->transcript().find("detached"), std::string::npos);
  }
  EXPECT_EQ(only_process().at("status"), "running");
}

TEST_F(Run, AttachesToTheRunningInstanceFromNowOn) {
  auto started = s.cli({"start", "--format", "json", kHelper, "usr1:later", "out:earlier", "pause"}, {}, cwd.path());
  auto st = json::parse(started.out).as_object();
  std::string log(st.at("log_combined").as_string());
  ASSERT_TRUE(await_file_contains(log, "Z earlier\n"));
  auto p = pty({kHelper, "usr1:later", "out:earlier", "pause"});
  ASSERT_TRUE(p->await_output("attached to PID " + std::to_string(st.at("pid").as_int64()))) << p->transcript();
  ::kill(static_cast<int>(st.at("pid").as_int64()), SIGUSR1);
  ASSERT_TRUE(p->await_output("later\r\n")) << p->transcript();
  EXPECT_EQ(p->transcript().find("earlier\r\n"), std::string::npos);
  EXPECT_EQ(processes().size(), 1u);
  p->send("\x03");
  ASSERT_TRUE(p->await_output(kPrompt));
  p->send("n");
  EXPECT_EQ(p->wait_exit(), 0);
}

TEST_F(Run, FreshStopsTheRunningInstanceAndStartsAnew) {
  auto started = s.cli({"start", "--format", "json", kHelper, "out:ready", "pause"}, {}, cwd.path());
  int old = static_cast<int>(json::parse(started.out).at("pid").as_int64());
  auto p = pty({"run", "--fresh", "--on-exit", "detach", kHelper, "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  p->send("\x03");
  EXPECT_EQ(p->wait_exit(), 0);
  auto procs = processes();
  ASSERT_EQ(procs.size(), 2u);
  EXPECT_EQ(procs[0].at("pid"), old);
  EXPECT_EQ(procs[0].at("status"), "terminated");
  EXPECT_EQ(procs[1].at("status"), "running");
}

TEST_F(Run, FollowsARestartFromAnotherClient) {
  auto p = pty({"run", "--on-exit", "detach", "--label", "web", kHelper, "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  int old = static_cast<int>(only_process().at("pid").as_int64());
  std::size_t mark = p->transcript().size();
  auto r = s.cli({"restart", "--format", "json", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int fresh = static_cast<int>(json::parse(r.out).at("pid").as_int64());
  ASSERT_TRUE(p->await_output("restarted: PID " + std::to_string(old) + " -> " + std::to_string(fresh), mark))
      << p->transcript();
  ASSERT_TRUE(p->await_output("ready\r\n", mark)) << p->transcript();
  EXPECT_EQ(p->transcript().find("exited", mark), std::string::npos);
  p->send("\x03");
  EXPECT_EQ(p->wait_exit(), 0);
}

TEST_F(Run, FailedRestartEndsTheRun) {
  std::string where = cwd.path() + "/sub";
  std::filesystem::create_directory(where);
  auto p = std::make_unique<PtyProcess>(argv({"run", "--label", "w", kHelper, "out:ready", "pause"}), env(), where);
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  std::filesystem::remove(where);
  EXPECT_EQ(s.cli({"restart", "w"}).exit_code, 1);
  EXPECT_EQ(p->wait_exit(), 1) << p->transcript();
  EXPECT_NE(p->transcript().find("restart failed: Working directory does not exist"), std::string::npos);
}

TEST_F(Run, TerminalAndStdinAreRestoredAfterThePrompt) {
  // bash continues after a child that handled Ctrl+C and exited normally (dash would not).
  std::string cmd = kBin + " run " + kHelper + " out:ready pause; stty -a; " + kHelper + " stdin-mode";
  auto p = std::make_unique<PtyProcess>(std::vector<std::string>{"/bin/bash", "-c", cmd}, env(), cwd.path());
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  p->send("\x03");
  ASSERT_TRUE(p->await_output(kPrompt));
  std::size_t mark = p->transcript().size();
  p->send("n");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  std::string after = p->transcript().substr(mark);
  ASSERT_NE(after.find("icanon"), std::string::npos) << after;  // stty printed its settings
  for (const char* off : {"-icanon", "-isig", "-echo "}) EXPECT_EQ(after.find(off), std::string::npos) << off << after;
  EXPECT_NE(after.find("stdin blocking"), std::string::npos) << after;
}

TEST_F(Run, NoServerExitsThree) {
  auto e = env();
  Server gone{{"-q"}};
  e["PERSISTPROC_PORT"] = std::to_string(gone.port());
  gone.terminate();
  auto r = run_program(argv({"run", kHelper, "exit:0"}), e, 30s, cwd.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("persistproc serve"), std::string::npos) << r.err;
}

TEST_F(Run, ServerGoingAwayEndsTheRun) {
  auto p = pty({"run", "--on-exit", "detach", kHelper, "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  int child = static_cast<int>(only_process().at("pid").as_int64());
  ::kill(s.pid(), SIGKILL);
  EXPECT_EQ(p->wait_exit(), 3) << p->transcript();
  EXPECT_NE(p->transcript().find("went away"), std::string::npos);
  ::kill(-child, SIGKILL);  // the server could not clean up after a SIGKILL
}

TEST_F(Run, UsageErrors) {
  EXPECT_EQ(run_program(argv({"run"}), env()).exit_code, 2);
  EXPECT_EQ(run_program(argv({"run", "--on-exit", "never", "true"}), env()).exit_code, 2);
  EXPECT_EQ(run_program(argv({"run", "'unterminated thing"}), env()).exit_code, 2);
  auto r = run_program(argv({"run", "-x", kHelper}), env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "persistproc run: unknown option -x (put -- before a program that starts with -)\n");
}

TEST_F(Run, BareDashDashRunsWhatFollows) {
  auto r = run_program(argv({"--", kHelper, "out:after the dashes", "exit:4"}), env(), 30s, cwd.path());
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.out.find("after the dashes\n"), std::string::npos) << r.out;
}

TEST_F(Run, RefusedTokenExitsOneAndStartsNothing) {
  auto e = env();
  e["PERSISTPROC_TOKEN"] = "wrong";
  auto r = run_program(argv({"run", kHelper, "out:never", "exit:0"}), e, 30s, cwd.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("refused the token"), std::string::npos) << r.err;
  EXPECT_EQ(processes().size(), 0u);
}

}  // namespace
}  // namespace pp::test
