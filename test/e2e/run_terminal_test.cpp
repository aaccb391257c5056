// `persistproc run` as the terminal of the process (issue: programs run as if in a
// terminal): from a real pseudo-terminal it starts the process on a PTY of its own
// size, shows the raw stream, forwards keys in raw mode and follows resizes; with
// --no-tty or stdin from a pipe it forwards what stdin delivers. Every wait is on output.
#include <gtest/gtest.h>
#include <signal.h>
#include <termios.h>

#include <fstream>

#include "e2e/run_fixture.hpp"

namespace pp::test {
namespace {

// The pid of the one child of `parent` (the `run` a shell started).
int only_child(int parent) {
  std::ifstream f("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) + "/children");
  int pid = -1;
  f >> pid;
  return pid;
}

TEST_F(Run, FromATerminalTheProcessGetsAPtyOfTheSameSize) {
  auto p = pty({kHelper, "isatty", "winsize", "exit:0"});
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_NE(p->transcript().find("isatty 111\r\n"), std::string::npos) << p->transcript();
  EXPECT_NE(p->transcript().find("winsize 120x24\r\n"), std::string::npos) << p->transcript();
  EXPECT_EQ(only_process().at("tty"), true);
}

TEST_F(Run, TtyWithoutATerminalStartsOnAPtyAndShowsPlainLines) {
  auto r = run_program(argv({"run", "--tty", kHelper, "isatty", "winsize", "hex:1b5b316d626f6c640a", "exit:0"}), env(),
                       30s, cwd.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("isatty 111\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("winsize 200x50\n"), std::string::npos) << r.out;  // the server's default
  EXPECT_NE(r.out.find("\nbold\n"), std::string::npos) << r.out;         // the log's text, stripped
}

TEST_F(Run, FollowsARestartOnPipesToo) {
  auto p = pty({"run", "--no-tty", "--on-exit", "detach", "--label", "web", kHelper, "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  std::size_t mark = p->transcript().size();
  auto r = s.cli({"restart", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(p->await_output("restarted: PID ", mark)) << p->transcript();
  ASSERT_TRUE(p->await_output("ready\r\n", mark)) << p->transcript();
  for (const auto& proc : processes()) EXPECT_EQ(proc.at("tty"), false);
}

TEST_F(Run, KeysReachTheChildAsTyped) {
  auto p = pty({kHelper, "keys"});
  ASSERT_TRUE(p->await_output("keys ready\r\n")) << p->transcript();
  EXPECT_EQ(p->local_modes() & (ICANON | ECHO | ISIG), 0u);  // `run` put our terminal in raw mode
  std::size_t mark = p->transcript().size();
  p->send("a");
  ASSERT_TRUE(p->await_output("key 61 ", mark)) << p->transcript();
  p->send("\x1b[A\r");  // an arrow key and Enter, as a terminal sends them
  for (const char* k : {"key 1b ", "key 5b ", "key 41 ", "key 0d "})
    ASSERT_TRUE(p->await_output(k, mark)) << k << p->transcript();
}

TEST_F(Run, ThePromptsPassOnAnswerReachesAPtyChildAsSigint) {
  auto p = pty({kHelper, "int:got INT", "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  p->send("\x03");
  ASSERT_TRUE(p->await_output(kPrompt)) << p->transcript();
  std::size_t mark = p->transcript().size();
  p->send("c");
  ASSERT_TRUE(p->await_output("got INT\r\n", mark)) << p->transcript();
  EXPECT_EQ(only_process().at("status"), "running");
  p->send("\x03");  // and Ctrl+C still asks
  ASSERT_TRUE(p->await_output(kPrompt, mark)) << p->transcript();
  p->send("n");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_EQ(only_process().at("status"), "running");
}

TEST_F(Run, ThePromptsPassOnAnswerReachesAPipeChildAsSigint) {
  auto p = pty({"run", "--no-tty", kHelper, "int:got INT", "out:ready", "pause"});
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  EXPECT_EQ(only_process().at("tty"), false);
  p->send("\x03");
  ASSERT_TRUE(p->await_output(kPrompt)) << p->transcript();
  p->send("c");
  ASSERT_TRUE(p->await_output("got INT\r\n")) << p->transcript();
  p->send("\x03");
  ASSERT_TRUE(p->await_output(kPrompt, p->transcript().rfind("got INT"))) << p->transcript();
  p->send("y");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
}

TEST_F(Run, AResizeReachesTheChild) {
  auto p = pty({kHelper, "winch", "winsize", "pause"});
  ASSERT_TRUE(p->await_output("winsize 120x24\r\n")) << p->transcript();
  p->resize(90, 33);
  ASSERT_TRUE(p->await_output("winsize 90x33\r\n")) << p->transcript();
  p->resize(100, 40);
  ASSERT_TRUE(p->await_output("winsize 100x40\r\n")) << p->transcript();
}

TEST_F(Run, ColoursAreShownRawAndStrippedInTheLogs) {
  // "\x1b[31mred\x1b[0m\n"
  auto p = pty({kHelper, "hex:1b5b33316d7265641b5b306d0a", "exit:0"});
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_NE(p->transcript().find("\x1b[31mred\x1b[0m\r\n"), std::string::npos) << p->transcript();
  auto out = s.cli({"output", "--format", "json", std::to_string(only_process().at("pid").as_int64())});
  EXPECT_NE(out.out.find("Z red\\n\""), std::string::npos) << out.out;
}

TEST_F(Run, AttachingToAPtyProcessShowsItsRawStreamFromNowAndTakesTheWindowSize) {
  auto started = s.cli({"start", "--tty", "--label", "w", kHelper, "winch", "usr1:\x1b[32mgreen\x1b[0m", "out:earlier",
                        "pause"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  ASSERT_TRUE(await_file_contains(std::string(only_process().at("log_combined").as_string()), "earlier"));
  auto p = pty({"run", "--label", "w", kHelper});
  ASSERT_TRUE(p->await_output("attached to PID")) << p->transcript();
  ASSERT_TRUE(p->await_output("winsize 120x24\r\n")) << p->transcript();  // was 200x50
  ::kill(static_cast<int>(only_process().at("pid").as_int64()), SIGUSR1);
  ASSERT_TRUE(p->await_output("\x1b[32mgreen\x1b[0m\r\n")) << p->transcript();
  EXPECT_EQ(p->transcript().find("earlier"), std::string::npos) << p->transcript();
}

TEST_F(Run, NoTtyRunsOnPipesAndForwardsTypedLines) {
  auto p = pty({"run", "--no-tty", kHelper, "isatty", "readline"});
  ASSERT_TRUE(p->await_output("isatty 000\r\n")) << p->transcript();
  p->send("hello\r");
  ASSERT_TRUE(p->await_output("read: hello\r\n")) << p->transcript();
  p->send("\x04");  // Ctrl+D: our end of input, not the process's
  p->send("again\r");
  ASSERT_TRUE(p->await_output("read: again\r\n")) << p->transcript();
  EXPECT_EQ(p->transcript().find("eof"), std::string::npos);
}

TEST_F(Run, StdinFromAPipeIsForwardedAndItsEndLeavesTheProcessInputOpen) {
  std::string cmd = "printf 'a\\nb\\n' | " + kBin + " run --label r " + kHelper + " readline";
  auto p = std::make_unique<PtyProcess>(std::vector<std::string>{"/bin/sh", "-c", cmd}, env(), cwd.path());
  ASSERT_TRUE(p->await_output("read: b\r\n")) << p->transcript();
  EXPECT_EQ(only_process().at("tty"), false);  // stdin is no terminal: pipes
  auto typed = s.cli({"input", "r", "c\n"});
  ASSERT_EQ(typed.exit_code, 0) << typed.err;
  ASSERT_TRUE(p->await_output("read: c\r\n")) << p->transcript();
  EXPECT_EQ(p->transcript().find("eof"), std::string::npos);
  p->send("\x03");  // SIGINT to the shell and `run`: without a terminal on stdin, detach
  p->wait_exit();
  EXPECT_EQ(only_process().at("status"), "running");
}

TEST_F(Run, TheTerminalIsRestoredAfterSigterm) {
  std::string cmd = kBin + " run " + kHelper + " out:ready pause; stty -a";
  auto p = std::make_unique<PtyProcess>(std::vector<std::string>{"/bin/bash", "-c", cmd}, env(), cwd.path());
  ASSERT_TRUE(p->await_output("ready\r\n")) << p->transcript();
  EXPECT_EQ(p->local_modes() & (ICANON | ECHO | ISIG), 0u);
  int run = only_child(p->pid());
  ASSERT_GT(run, 0);
  std::size_t mark = p->transcript().size();
  ::kill(run, SIGTERM);
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  std::string after = p->transcript().substr(mark);
  ASSERT_NE(after.find("icanon"), std::string::npos) << after;
  for (const char* off : {"-icanon", "-isig", "-echo ", "-opost", "-icrnl", "-ixon"})
    EXPECT_EQ(after.find(off), std::string::npos) << off << after;
}

}  // namespace
}  // namespace pp::test
