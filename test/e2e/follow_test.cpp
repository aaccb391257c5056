// `output -f` (and `logs -f`) end to end, in a real pseudo-terminal as people use
// it: the last lines, then lines appended after it started, across rotations and a
// restart, only matching lines with --grep, one stream with --stream; it ends with
// the process's exit code, or 0 on Ctrl+C (the 0x03 byte, no prompt). Every wait is
// on the command's output, a log file or a pid.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <filesystem>

#include "support/pty_process.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;

class Follow : public ::testing::Test {
 protected:
  explicit Follow(std::vector<std::string> server_args = {"-q"}) : s(std::move(server_args)) {}

  std::map<std::string, std::string> env() const {
    return {{"PERSISTPROC_PORT", std::to_string(s.port())}, {"PERSISTPROC_DATA_DIR", s.data_dir()},
            {"PERSISTPROC_FORMAT", ""}};
  }
  // Starts the helper with `actions` as `label`, once it has printed "ready"; its start result.
  json::object start(const std::string& label, std::vector<std::string> actions) {
    std::vector<std::string> args = {"start", "--format", "json", "--label", label, "--wait-for", "^ready$", kHelper};
    actions.push_back("out:ready");
    actions.push_back("pause");
    args.insert(args.end(), actions.begin(), actions.end());
    auto r = s.cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out).as_object();
  }
  std::string only_status(const std::string& label) const {
    auto r = s.cli({"list", "--format", "json", "--command-or-label", label});
    return std::string(json::parse(r.out).at("processes").at(0).at("status").as_string());
  }
  static int pid_of(const json::object& started) { return static_cast<int>(started.at("pid").as_int64()); }
  std::unique_ptr<PtyProcess> follow(std::vector<std::string> args) const {
    args.insert(args.begin(), kBin);
    return std::make_unique<PtyProcess>(args, env());
  }

  Server s;
};

TEST_F(Follow, LastLinesThenAppendedOnesUntilCtrlCExitsZero) {
  int pid = pid_of(start("w", {"lines:5", "usr1:appended"}));
  auto p = follow({"output", "-f", "--lines", "2", "w"});
  ASSERT_TRUE(p->await_output("Z ready\r\n")) << p->transcript();
  EXPECT_NE(p->transcript().find("Z line 5\r\n"), std::string::npos) << p->transcript();
  EXPECT_EQ(p->transcript().find("line 4"), std::string::npos) << p->transcript();  // only the last 2
  for (int i = 1; i <= 3; ++i) {
    std::size_t mark = p->transcript().size();
    ::kill(pid, SIGUSR1);
    ASSERT_TRUE(p->await_output("Z appended\r\n", mark)) << p->transcript();
  }
  p->send("\x03");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_EQ(p->transcript().find("Stop running process"), std::string::npos) << p->transcript();  // no prompt
  // Each line once: the last lines and the followed ones do not overlap.
  const std::string& t = p->transcript();
  std::size_t n = 0;
  for (std::size_t at = 0; (at = t.find("Z appended\r\n", at)) != std::string::npos; ++at) ++n;
  EXPECT_EQ(n, 3u) << t;
  EXPECT_EQ(only_status("w"), "running");  // following is only reading
}

TEST_F(Follow, GrepShowsOnlyMatchingLinesWhileFollowing) {
  int pid = pid_of(start("w", {"out:keep 1", "out:drop 1", "usr1:keep more", "int:drop more"}));
  auto p = follow({"logs", "--follow", "--grep", "keep", "w"});
  ASSERT_TRUE(p->await_output("Z keep 1\r\n")) << p->transcript();
  ::kill(pid, SIGINT);
  ::kill(pid, SIGUSR1);  // logged after "drop more": once it is shown, that one was passed over
  ASSERT_TRUE(p->await_output("Z keep more\r\n")) << p->transcript();
  EXPECT_EQ(p->transcript().find("Z drop"), std::string::npos) << p->transcript();  // (the [SYSTEM] line names both)
  p->send("\x03");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
}

TEST_F(Follow, StreamFollowsThatLogOnlyAndTheExitEndsIt) {
  int pid = pid_of(start("w", {"out:o1", "err:e1", "usr1:o2", "term-exit:7"}));
  auto p = follow({"output", "-f", "--stream", "stderr", "w"});
  ASSERT_TRUE(p->await_output("Z e1\r\n")) << p->transcript();
  ::kill(pid, SIGUSR1);
  ::kill(pid, SIGTERM);  // "got TERM" on stdout, then exit 7
  EXPECT_EQ(p->wait_exit(), 7) << p->transcript();
  const std::string& t = p->transcript();
  EXPECT_EQ(t.find("o1"), std::string::npos) << t;
  EXPECT_EQ(t.find("o2"), std::string::npos) << t;
  EXPECT_EQ(t.find("got TERM"), std::string::npos) << t;
  EXPECT_NE(t.find("persistproc: process " + std::to_string(pid) + " exited with code 7"), std::string::npos) << t;
}

TEST_F(Follow, AnEndedProcessShowsItsLastLinesAndItsExitCode) {
  auto r = s.cli({"start", "--format", "json", "--label", "gone", kHelper, "out:last words", "exit:4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(await_file_contains(std::string(json::parse(r.out).at("log_combined").as_string()),
                                  "[SYSTEM] Process exited with code 4"));
  auto f = run_program({kBin, "logs", "-f", "gone"}, env());
  EXPECT_EQ(f.exit_code, 4) << f.err;
  EXPECT_NE(f.out.find("Z last words\n"), std::string::npos) << f.out;
  EXPECT_NE(f.err.find("exited with code 4"), std::string::npos) << f.err;
}

TEST_F(Follow, BadInputIsRefusedClearly) {
  auto r = run_program({kBin, "output", "-f", "--raw", "w"}, env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--follow does not go with --raw or --before-time"), std::string::npos) << r.err;
  r = run_program({kBin, "output", "-f", "--before-time", "2025-01-01T00:00:00Z", "w"}, env());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run_program({kBin, "output", "-f", "--grep", "(", "w"}, env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("Error: pattern: ")) << r.err;
  r = run_program({kBin, "output", "-f", "nothing-like-this"}, env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("No process found matching 'nothing-like-this'"), std::string::npos) << r.err;
  r = run_program({kBin, "output", "-f"}, env());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  auto no_server = env();
  no_server["PERSISTPROC_PORT"] = "1";
  r = run_program({kBin, "output", "-f", "w"}, no_server);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("Start one with"), std::string::npos) << r.err;
}

// Small logs rotate every batch or two; the server restarts the process meanwhile.
class FollowRotating : public Follow {
 protected:
  FollowRotating() : Follow({"-q", "--max-log-size", "1K"}) {}
};

TEST_F(FollowRotating, AcrossRotationsAndARestartToTheExitCode) {
  auto started = start("w", {"usr1-lines:20", "term-exit:7"});
  int pid = pid_of(started);
  std::string combined(started.at("log_combined").as_string());
  auto p = follow({"output", "-f", "--lines", "1", "w"});
  ASSERT_TRUE(p->await_output("Z ready\r\n")) << p->transcript();
  for (int b = 1; b <= 4; ++b) {
    ::kill(pid, SIGUSR1);
    ASSERT_TRUE(p->await_output("Z line " + std::to_string(b * 20) + "\r\n")) << p->transcript();
  }
  ASSERT_TRUE(std::filesystem::exists(combined + ".1"));  // it rotated under the follower
  std::size_t mark = p->transcript().size();
  auto r = s.cli({"restart", "--format", "json", "--wait-for", "^ready$", "w"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int fresh = static_cast<int>(json::parse(r.out).at("pid").as_int64());
  ASSERT_TRUE(p->await_output("restarted: PID " + std::to_string(pid) + " -> " + std::to_string(fresh), mark))
      << p->transcript();
  ASSERT_TRUE(p->await_output("Z ready\r\n", mark)) << p->transcript();  // the new instance's log, from its start
  ::kill(fresh, SIGUSR1);
  ASSERT_TRUE(p->await_output("Z line 20\r\n", mark)) << p->transcript();
  ::kill(fresh, SIGTERM);
  EXPECT_EQ(p->wait_exit(), 7) << p->transcript();
  EXPECT_NE(p->transcript().find("process " + std::to_string(fresh) + " exited with code 7"), std::string::npos);
  // The first instance's 80 lines each once, in order.
  const std::string t = p->transcript().substr(0, mark);
  std::vector<std::string> shown;
  for (std::size_t start = 0, nl; (nl = t.find("\r\n", start)) != std::string::npos; start = nl + 2) {
    std::string line = t.substr(start, nl - start);
    if (auto at = line.find("Z line "); at != std::string::npos) shown.push_back(line.substr(at + 2));
  }
  ASSERT_EQ(shown.size(), 80u) << t;
  for (int i = 0; i < 80; ++i) EXPECT_EQ(shown[static_cast<std::size_t>(i)], "line " + std::to_string(i + 1));
}

}  // namespace
}  // namespace pp::test
