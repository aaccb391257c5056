// PTY mode: the child sees a terminal; its output is logged as clean text with the
// raw bytes beside it; resize, signal, input and restart work on it.
#include <signal.h>

#include <algorithm>
#include <string>

#include "core/timestamp.hpp"

#include "core/shell_words.hpp"
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class Tty : public McpFixture {
 protected:
  int start_tty(std::vector<std::string> actions, json::object extra = {}) {
    extra["tty"] = true;
    return start_helper(std::move(actions), std::move(extra));
  }
  std::vector<std::string> output(int pid, json::object extra = {}) {
    extra["pid"] = pid;
    auto r = call("output", std::move(extra));
    EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
    std::vector<std::string> lines;
    for (const auto& l : r.at("output").as_array()) lines.emplace_back(l.as_string());
    return lines;
  }
  // The lines' texts, without their stamps and newlines.
  std::vector<std::string> texts(int pid, json::object extra = {}) {
    std::vector<std::string> out;
    for (auto& l : output(pid, std::move(extra))) {
      std::string t = l.substr(kStampLen + 1);
      if (!t.empty() && t.back() == '\n') t.pop_back();
      out.push_back(t);
    }
    return out;
  }
  static bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
};

TEST_F(Tty, TheChildSeesATerminalOfTheGivenSize) {
  int pid = start_tty({"isatty", "env:TERM", "winsize", "out:done", "pause"}, {{"columns", 120}, {"rows", 40}});
  await_output(pid, "done");
  auto lines = texts(pid, {{"stream", "stdout"}});
  EXPECT_TRUE(has(lines, "isatty 111")) << combined(pid);
  EXPECT_TRUE(has(lines, "TERM=xterm-256color")) << combined(pid);
  EXPECT_TRUE(has(lines, "winsize 120x40")) << combined(pid);
  auto e = call("list", {{"pid", pid}}).at("processes").as_array().at(0).as_object();
  EXPECT_TRUE(e.at("tty").as_bool());
  EXPECT_TRUE(e.at("log_tty").is_string());
}

TEST_F(Tty, DefaultSizeAndTheRequestsTerm) {
  int pid = start_tty({"env:TERM", "winsize", "out:done", "pause"}, {{"environment", {{"TERM", "dumb"}}}});
  await_output(pid, "done");
  auto lines = texts(pid);
  EXPECT_TRUE(has(lines, "TERM=dumb")) << combined(pid);
  EXPECT_TRUE(has(lines, "winsize 200x50")) << combined(pid);
}

TEST_F(Tty, PipeModeStaysTheDefault) {
  int pid = start_helper({"isatty", "out:done", "pause"});
  await_output(pid, "done");
  EXPECT_TRUE(has(texts(pid), "isatty 000"));
  auto e = call("list", {{"pid", pid}}).at("processes").as_array().at(0).as_object();
  EXPECT_FALSE(e.at("tty").as_bool());
  EXPECT_TRUE(e.at("log_tty").is_null());
  auto raw = call("output", {{"pid", pid}, {"raw", true}});
  EXPECT_TRUE(raw.at("error").is_string());
}

TEST_F(Tty, ColoursAreStrippedInTheLogsAndKeptRaw) {
  // "\e[31mred\e[0m text" and a stderr line: one stream on a terminal.
  int pid = start_tty({"hex:1b5b33316d7265641b5b306d20746578740a", "err:to stderr", "out:done", "pause"});
  await_output(pid, "done");
  auto lines = texts(pid, {{"stream", "stdout"}});
  EXPECT_TRUE(has(lines, "red text")) << combined(pid);
  EXPECT_TRUE(has(lines, "to stderr")) << combined(pid);
  EXPECT_TRUE(texts(pid, {{"stream", "stderr"}}).empty());
  bool coloured = false;
  for (const auto& l : output(pid, {{"raw", true}})) coloured |= l.find("\x1b[31mred") != std::string::npos;
  EXPECT_TRUE(coloured);
}

TEST_F(Tty, AProgressBarCollapsesToItsLastState) {
  // "10%\r50%\r100%\n"
  int pid = start_tty({"hex:3130250d3530250d313030250a", "out:done", "pause"});
  await_output(pid, "done");
  auto lines = texts(pid, {{"stream", "stdout"}});
  EXPECT_TRUE(has(lines, "100%")) << combined(pid);
  EXPECT_FALSE(has(lines, "50%"));
}

TEST_F(Tty, AProgressBarStandingStillIsNotLoggedStateByState) {
  // "10%\r", more than the 50 ms quiet flush later "50%\r", then "100%\n": a line
  // being redrawn is logged at its newline, as its final state.
  int pid = start_tty({"hex:3130250d", "sleep:120", "hex:3530250d", "sleep:120", "hex:313030250a", "out:done", "pause"});
  await_output(pid, "done");
  auto lines = texts(pid, {{"stream", "stdout"}});
  EXPECT_TRUE(has(lines, "100%")) << combined(pid);
  EXPECT_FALSE(has(lines, "10%")) << combined(pid);
  EXPECT_FALSE(has(lines, "50%")) << combined(pid);
}

TEST_F(Tty, APromptWithoutANewlineIsLoggedAfterTheQuietPeriod) {
  int pid = start_tty({"partial:Proceed? [y/N] ", "pause"});
  await_output(pid, "Proceed? [y/N] ");
}

TEST_F(Tty, AnUnattachedChildWritingTenMegabytesDoesNotBlock) {
  int pid = start_tty({"flood:100000:100", "out:finished"});
  await_exit(pid);
  EXPECT_EQ(instance(pid)->exit_code(), 0);
  auto r = call("output", {{"pid", pid}, {"stream", "stdout"}, {"lines", 1}});
  // Every line is there. (At least: a writer descheduled for over 50 ms in the
  // middle of a line has it logged in two parts, by design, docs/logs.md#lines.)
  EXPECT_GE(r.at("lines_before").as_int64(), 100000);
  EXPECT_TRUE(r.at("output").as_array().at(0).as_string().ends_with(" finished\n")) << json::serialize(r);
}

TEST_F(Tty, InputReachesTheChildAndItsStdinStaysOpen) {
  int pid = start_tty({"out:ready", "readline"});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "input"}, {"pid", pid}, {"text", "hello\r"}, {"wait_for", "^read: hello$"}});
  EXPECT_EQ(r.at("matched_line"), std::string("read: hello")) << json::serialize(r);
}

TEST_F(Tty, CtrlCAsInputInterruptsTheChild) {
  int pid = start_tty({"out:ready", "pause"});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "input"}, {"pid", pid}, {"text", "\x03"}});
  EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
  await_exit(pid);
  EXPECT_EQ(instance(pid)->exit_code(), -2);  // the terminal turned the key into SIGINT
}

TEST_F(Tty, CtrlZDoesNotStopTheChild) {
  // A run user's Ctrl+Z reaches the PTY as this byte. The child leads a process group
  // with no parent in its session, so the kernel discards the terminal's SIGTSTP.
  int pid = start_tty({"usr1:still running", "out:ready", "pause"});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "input"}, {"pid", pid}, {"text", "\x1a\r"}});
  EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
  // The line discipline takes the input later, and on ^Z flushes the output not
  // yet read: its echo comes after that flush, so only then can a line be sent.
  await_output(pid, "^Z");
  ::kill(pid, SIGUSR1);  // a stopped child would not run its handler
  await_output(pid, "still running");
}

TEST_F(Tty, ResizeReachesTheChild) {
  int pid = start_tty({"winch", "out:ready", "pause"});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "resize"}, {"pid", pid}, {"columns", 100}, {"rows", 30}});
  EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
  await_output(pid, "winsize 100x30");
  int plain = start_helper({"pause"});
  r = call("ctrl", {{"action", "resize"}, {"pid", plain}, {"columns", 100}, {"rows", 30}});
  EXPECT_TRUE(r.at("error").is_string());
}

TEST_F(Tty, SignalIntReachesTheChild) {
  int pid = start_tty({"out:ready", "pause"});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "signal"}, {"pid", pid}, {"signal", "INT"}});
  EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
  await_exit(pid);
  EXPECT_EQ(instance(pid)->exit_code(), -2);
}

TEST_F(Tty, RestartKeepsTheTerminalAndItsSize) {
  int pid = start_tty({"winsize", "out:ready", "pause"}, {{"columns", 90}, {"rows", 20}, {"label", "t"}});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "restart"}, {"pid", pid}, {"wait_for", "^ready$"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  int again = static_cast<int>(r.at("pid").as_int64());
  EXPECT_NE(again, pid);
  EXPECT_TRUE(instance(again)->spec().tty);
  EXPECT_TRUE(has(texts(again), "winsize 90x20")) << combined(again);
}

}  // namespace
}  // namespace pp::test
