// The real binary as a client: every subcommand, formats, environment, exit codes.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;

json::object json_out(const RunResult& r, int code = 0) {
  EXPECT_EQ(r.exit_code, code) << r.out << r.err;
  boost::system::error_code ec;
  auto v = json::parse(r.out, ec);
  EXPECT_FALSE(ec) << r.out;
  return v.is_object() ? v.as_object() : json::object{};
}

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

class Cli : public ::testing::Test {
 protected:
  Server s{{"-q"}};
  int start(const std::vector<std::string>& actions, std::vector<std::string> opts = {}) {
    auto r = json_out(s.cli(with(with(with({"start", "--format", "json"}, opts), {kHelper}), actions)));
    EXPECT_TRUE(r.at("error").is_null());
    log_ = std::string(r.at("log_combined").as_string());
    return static_cast<int>(r.at("pid").as_int64());
  }
  void await_line(const std::string& text) { ASSERT_TRUE(await_file_contains(log_, "Z " + text + "\n")) << read_file(log_); }
  std::string log_;
};

TEST_F(Cli, StartPrintsPidLabelAndLogs) {
  auto r = s.cli({"start", kHelper, "out:hi", "pause"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("Started process with PID: ")) << r.out;
  EXPECT_NE(r.out.find("\nLabel: " + kHelper + " out:hi pause in "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(".stdout\n"), std::string::npos);
  EXPECT_NE(r.out.find(".stderr\n"), std::string::npos);
  EXPECT_NE(r.out.find(".combined\n"), std::string::npos);
}

TEST_F(Cli, StartDefaultsToTheCallersDirectoryAndTakesOptions) {
  TempDir here;
  auto r = json_out(s.cli({"start", "--format", "json", "--label", "mine", "--environment", R"({"PP_V":"x y"})", kHelper,
                           "pwd", "env:PP_V", "out:ready", "pause"},
                          {}, here.path()));
  log_ = std::string(r.at("log_combined").as_string());
  await_line("ready");
  EXPECT_NE(read_file(log_).find("Z " + here.path() + "\n"), std::string::npos);
  EXPECT_NE(read_file(log_).find("Z PP_V=x y\n"), std::string::npos);
  auto l = json_out(s.cli({"list", "--format", "json", "--command-or-label", "mine"}));
  EXPECT_EQ(l.at("processes").at(0).at("working_directory"), json::value(here.path()));
}

TEST_F(Cli, SingleStringCommandIsShellSplit) {
  auto r = json_out(s.cli({"start", "--format", "json", kHelper + " 'out:a  b' \"out:c d\" pause"}));
  log_ = std::string(r.at("log_combined").as_string());
  await_line("c d");
  EXPECT_NE(read_file(log_).find("Z a  b\n"), std::string::npos);
  auto l = json_out(s.cli({"list", "--format", "json"}));
  EXPECT_EQ(l.at("processes").at(0).at("command"), (json::array{kHelper, "out:a  b", "out:c d", "pause"}));
}

TEST_F(Cli, DashDashEndsPersistprocOptions) {
  auto r = json_out(s.cli({"start", "--format", "json", "--", kHelper, "out:--port", "pause"}));
  EXPECT_TRUE(r.at("error").is_null());
  auto l = json_out(s.cli({"ls", "--format", "json"}));
  EXPECT_EQ(l.at("processes").at(0).at("command"), (json::array{kHelper, "out:--port", "pause"}));
}

// Also after an option that takes a value: `output --grep ERROR -- 12345` was once a
// usage error, since the list of such options was kept by hand and lacked --grep.
TEST_F(Cli, DashDashAfterAnOptionWithAValue) {
  auto r = s.cli({"start", "--wait-for", "^ready$", "--label", "dd", "--", kHelper, "out:ERROR x", "ready", "pause"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto o = s.cli({"output", "--grep", "ERROR", "--", "dd"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(o.out.ends_with("Z ERROR x\n")) << o.out;
  r = s.cli({"restart", "--wait-for", "^ready$", "--", "dd"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(Cli, ListLongTextForm) {
  EXPECT_EQ(s.cli({"list"}).out, "No processes running\n");
  EXPECT_EQ(s.cli({"list", "--long"}).out, "No processes running\n");
  int a = start({"pause"}, {"--label", "first"});
  int b = start({"out:x", "pause"});
  auto r = s.cli({"ls", "-l"});
  EXPECT_EQ(r.exit_code, 0);
  std::string expect = "PID " + std::to_string(a) + ": first (running)\n  Command: " + kHelper +
                       " pause\n  Working directory: ";
  EXPECT_TRUE(r.out.starts_with(expect)) << r.out;
  EXPECT_NE(r.out.find("\n\nPID " + std::to_string(b) + ": " + kHelper + " out:x pause in "), std::string::npos)
      << r.out;
}

TEST_F(Cli, TargetsByPidLabelAndCommandWithArguments) {
  int a = start({"out:a b", "pause"});
  int b = start({"pause"}, {"--label", "my label"});
  int c = start({"out:c", "pause"});
  auto r = json_out(s.cli({"stop", "--format", "json", kHelper, "out:a b", "pause"}));
  EXPECT_EQ(r.at("pid").as_int64(), a);
  r = json_out(s.cli({"stop", "--format", "json", "my label"}));
  EXPECT_EQ(r.at("pid").as_int64(), b);
  r = json_out(s.cli({"stop", "--format", "json", std::to_string(c)}));
  EXPECT_EQ(r.at("pid").as_int64(), c);
  EXPECT_EQ(r.at("exit_code"), -15);
}

TEST_F(Cli, StopTextAndForce) {
  int a = start({"term-exit:0", "out:ready", "pause"});
  await_line("ready");
  auto r = s.cli({"stop", "--force", std::to_string(a)});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "Stopped process with PID: " + std::to_string(a) + " (exit code -9)\n");
}

TEST_F(Cli, RestartGivesANewPidWithTheSameLabel) {
  int a = start({"out:ready", "pause"}, {"--label", "svc"});
  await_line("ready");
  auto r = json_out(s.cli({"restart", "--format", "json", "svc"}));
  EXPECT_NE(r.at("pid").as_int64(), a);
  EXPECT_EQ(r.at("label"), "svc");
  auto t = s.cli({"restart", "svc"});
  EXPECT_EQ(t.exit_code, 0);
  EXPECT_TRUE(t.out.starts_with("Restarted process, new PID: ")) << t.out;
}

TEST_F(Cli, CtrlSubcommandWithActions) {
  auto r = json_out(s.cli({"ctrl", "--format", "json", "--label", "c1", "start", kHelper, "pause"}));
  int pid = static_cast<int>(r.at("pid").as_int64());
  r = json_out(s.cli({"ctrl", "--format", "json", "restart", "c1"}));
  int fresh = static_cast<int>(r.at("pid").as_int64());
  EXPECT_NE(fresh, pid);
  r = json_out(s.cli({"ctrl", "--force", "--format", "json", "stop", std::to_string(fresh)}));
  EXPECT_EQ(r.at("exit_code"), -9);
  EXPECT_EQ(s.cli({"ctrl", "explode", "x"}).exit_code, 2);
}

TEST_F(Cli, OutputShowsLinesAndFilters) {
  start({"lines:5", "err:oops", "out:ready", "pause"});
  await_line("ready");
  std::string cmd = kHelper + " lines:5 err:oops out:ready pause";
  auto r = s.cli({"output", "--lines", "2", "--stream", "stdout", cmd});
  EXPECT_EQ(r.exit_code, 0);
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  EXPECT_NE(r.out.find("Z line 5\n"), std::string::npos);
  EXPECT_TRUE(r.out.ends_with("Z ready\n"));
  auto e = json_out(s.cli({"output", "--format", "json", "--stream", "stderr", cmd}));
  EXPECT_EQ(e.at("output").as_array().size(), 1u);
  auto w = json_out(s.cli({"output", "--format", "json", "--since_time", "2999-01-01T00:00:00", cmd}));
  EXPECT_EQ(w.at("output").as_array().size(), 0u);
  EXPECT_EQ(w.at("lines_before"), 8);
  EXPECT_EQ(s.cli({"output", "--since-time", "not-a-time", cmd}).exit_code, 2);
  EXPECT_EQ(s.cli({"output", "--lines", "-3", cmd}).exit_code, 2);
  EXPECT_EQ(s.cli({"output", "--stream", "both", cmd}).exit_code, 2);
}

TEST_F(Cli, ChildExitingByItselfShowsExitedWithItsCode) {
  int pid = start({"out:bye", "exit:5"});
  ASSERT_TRUE(await_file_contains(log_, "[SYSTEM] Process exited with code 5"));
  auto l = json_out(s.cli({"list", "--format", "json", "--pid", std::to_string(pid)}));
  EXPECT_EQ(l.at("processes").at(0).at("status"), "exited");
  EXPECT_EQ(l.at("processes").at(0).at("exit_code"), 5);
  auto t = s.cli({"list"});
  EXPECT_NE(t.out.find("  exited (5)  "), std::string::npos) << t.out;
  t = s.cli({"list", "--long"});
  EXPECT_NE(t.out.find("(exited)\n"), std::string::npos) << t.out;
}

TEST_F(Cli, FailedOperationsExitOneWithTheError) {
  auto r = s.cli({"stop", "nothing-like-this"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: No process found matching 'nothing-like-this'.\n");
  auto j = json_out(s.cli({"stop", "--format", "json", "nothing-like-this"}), 1);
  EXPECT_TRUE(j.at("error").is_string());
  r = s.cli({"start", "no-such-program-xyz"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: Command not found: no-such-program-xyz\n");
  r = s.cli({"start", "--working-directory", "/no/such/dir", "true"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/no/such/dir"), std::string::npos);
  start({"pause"}, {"--label", "dup"});
  r = s.cli({"start", "--label", "dup", kHelper, "pause"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Process with label 'dup' already running with PID"), std::string::npos);
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(s.cli({"start"}).exit_code, 2);
  EXPECT_EQ(s.cli({"stop"}).exit_code, 2);
  EXPECT_EQ(s.cli({"output"}).exit_code, 2);
  EXPECT_EQ(s.cli({"list", "--bogus"}).exit_code, 2);
  EXPECT_EQ(s.cli({"start", "--bogus", "x"}).exit_code, 2);
  EXPECT_EQ(s.cli({"start", "--environment", "[1]", "true"}).exit_code, 2);
  EXPECT_EQ(s.cli({"start", "--environment", R"({"A":1})", "true"}).exit_code, 2);
  EXPECT_EQ(s.cli({"list", "--format", "yaml"}).exit_code, 2);
  EXPECT_EQ(s.cli({"list", "--port", "70000"}).exit_code, 2);
  auto r = s.cli({"list", "--port", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "persistproc: --port 0 only makes sense with serve\n");
  r = s.cli({"ctrl", "--wait-for", "ready", "stop", "web"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "persistproc ctrl: --wait-for applies to start, restart and input only\n");
  r = s.cli({"ctrl", "stop", "--force", "web"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "persistproc ctrl: options go before the action: ctrl [options] stop TARGET (got --force after "
                   "stop; put -- before a command that starts with -)\n");
  // After a --, a word starting with - is a program, wherever the -- is.
  for (auto args : {std::vector<std::string>{"ctrl", "start", "--", "-no-such-program"},
                    std::vector<std::string>{"ctrl", "--", "start", "-no-such-program"}}) {
    r = s.cli(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.err, "Error: Command not found: -no-such-program\n");
  }
}

TEST_F(Cli, GlobalOptionsWorkBeforeOrAfterTheSubcommand) {
  TempDir none;
  std::string port = std::to_string(s.port());
  std::map<std::string, std::string> no_env = {{"PERSISTPROC_PORT", ""}, {"PERSISTPROC_TOKEN", s.token()}};
  EXPECT_EQ(run_program({kBin, "--port", port, "list"}, no_env).out, "No processes running\n");
  EXPECT_EQ(run_program({kBin, "list", "--port", port}, no_env).out, "No processes running\n");
  EXPECT_EQ(run_program({kBin, "--format", "json", "list", "--port", port}, no_env).out, "{\"processes\":[]}\n");
}

TEST_F(Cli, EnvironmentVariablesAndFlagsBeatThem) {
  EXPECT_EQ(s.cli({"list"}, {{"PERSISTPROC_FORMAT", "json"}}).out, "{\"processes\":[]}\n");
  EXPECT_EQ(s.cli({"list", "--format", "text"}, {{"PERSISTPROC_FORMAT", "json"}}).out, "No processes running\n");
  auto bad = s.cli({"list"}, {{"PERSISTPROC_PORT", "eighty"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("PERSISTPROC_PORT"), std::string::npos);
  bad = s.cli({"list"}, {{"PERSISTPROC_FORMAT", "xml"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("PERSISTPROC_FORMAT"), std::string::npos);
  // The flag wins over a wrong port in the environment.
  auto ok = run_program({kBin, "list", "--port", std::to_string(s.port())},
                        {{"PERSISTPROC_PORT", "1"}, {"PERSISTPROC_TOKEN", s.token()}});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST_F(Cli, NoServerExitsThreeWithAHint) {
  // A port nobody listens on: this server's, after it is gone.
  Server gone{{"-q"}};
  int port = gone.port();
  gone.terminate();
  auto r = run_program({kBin, "list", "--port", std::to_string(port)}, {{"PERSISTPROC_PORT", ""}});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("persistproc serve"), std::string::npos) << r.err;
  r = run_program({kBin, "shutdown", "--port", std::to_string(port)}, {{"PERSISTPROC_PORT", ""}});
  EXPECT_EQ(r.exit_code, 3);
}

TEST_F(Cli, HelpListsOptionsDefaultsAndEnvironment) {
  auto r = run_program({kBin, "output", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* want : {"--stream", "--lines", "--since-time", "--before-time", "--working-directory", "100",
                           "combined", "PERSISTPROC_PORT", "PERSISTPROC_FORMAT"})
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
  r = run_program({kBin, "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* want : {"serve", "run", "start", "stop", "restart", "ctrl", "list", "output", "shutdown"})
    EXPECT_NE(r.out.find(want), std::string::npos) << want;
}

TEST_F(Cli, ShutdownTextForm) {
  int pid = s.pid();
  auto r = s.cli({"shutdown"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "Server (PID " + std::to_string(pid) + ") has shut down.\n");
  EXPECT_EQ(s.wait_exit(1s), 0);
}

}  // namespace
}  // namespace pp::test

namespace pp::test {
namespace {

TEST(CliList, TextShowsPortsAndMemoryOfARunningProcess) {
  Server s{{"-q"}};
  auto r = s.cli({"start", "--wait-for", "^listening on", "--label", "web", kHelper, "listen", "pause"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string port = r.out.substr(r.out.rfind("listening on ") + 13);
  port.pop_back();  // '\n'
  auto l = s.cli({"list", "--long"});
  EXPECT_NE(l.out.find("\n  Ports: " + port + "\n  Memory: "), std::string::npos) << l.out;
  EXPECT_NE(l.out.find(" MiB\n"), std::string::npos) << l.out;
  auto table = s.cli({"list"});  // the table's PORTS and MEM columns
  EXPECT_NE(table.out.find("  running  "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("  " + port + "  "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("M  "), std::string::npos) << table.out;
}

TEST_F(Cli, InputReachesTheProcess) {
  int pid = start({"out:ready", "readline"}, {"--label", "repl"});
  await_line("ready");
  auto r = s.cli({"input", "--wait-for", "^read: hi$", "repl", "hi\n"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Sent to process with PID: " + std::to_string(pid)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("read: hi"), std::string::npos) << r.out;
  r = s.cli({"input", "repl"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST_F(Cli, TtyStartAndRawOutput) {
  // "\e[32mgreen\e[0m"
  start({"isatty", "hex:1b5b33326d677265656e1b5b306d0a", "out:ready", "pause"}, {"--tty", "--label", "tui"});
  await_line("ready");
  auto plain = s.cli({"output", "--stream", "stdout", "tui"});
  EXPECT_NE(plain.out.find(" isatty 111\n"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find(" green\n"), std::string::npos) << plain.out;
  auto raw = s.cli({"output", "--raw", "tui"});
  EXPECT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_NE(raw.out.find("\x1b[32mgreen"), std::string::npos) << raw.out;
}

}  // namespace
}  // namespace pp::test
