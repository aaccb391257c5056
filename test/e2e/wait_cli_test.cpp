// `start`/`restart --wait-for` from the command line: the match is printed, and a
// process that exits first or never matches makes the command exit 1 with its last lines.
#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace pp::test {
namespace {

class WaitCli : public ::testing::Test {
 protected:
  Server s{{"-q"}};
};

TEST_F(WaitCli, StartPrintsTheMatchedLine) {
  auto r = s.cli({"start", "--wait-for", "listening on \\d+", "--label", "web", kHelper, "out:listening on 8080", "pause"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ms: listening on 8080\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Ready after "), std::string::npos) << r.out;
}

TEST_F(WaitCli, ExitFirstIsExitCodeOneWithTheLastLines) {
  auto r = s.cli({"start", "--wait-for", "ready", kHelper, "err:port 8080 in use", "exit:1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("exited with code 1 before a line matched 'ready'."), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("port 8080 in use"), std::string::npos) << r.err;
}

TEST_F(WaitCli, TimeoutIsExitCodeOneAndTheProcessKeepsRunning) {
  auto r = s.cli({"start", "--format", "json", "--wait-for", "never", "--wait-timeout", "0", kHelper, "pause"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("is still running, but no line matched 'never' within 0 s."), std::string::npos) << r.out;
  auto l = s.cli({"list", "--format", "json"});
  EXPECT_NE(l.out.find("\"status\":\"running\""), std::string::npos) << l.out;
}

TEST_F(WaitCli, RestartWaitsToo) {
  ASSERT_EQ(s.cli({"start", "--wait-for", "^ready$", "--label", "svc", kHelper, "ready", "pause"}).exit_code, 0);
  auto r = s.cli({"restart", "--wait-for", "^ready$", "svc"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ms: ready\n"), std::string::npos) << r.out;
}

TEST_F(WaitCli, BadWaitOptionsAreUsageErrors) {
  EXPECT_EQ(s.cli({"start", "--wait-timeout", "5", kHelper, "pause"}).exit_code, 2);
  EXPECT_EQ(s.cli({"start", "--wait-for", "x", "--wait-timeout", "700", kHelper, "pause"}).exit_code, 2);
  auto bad = s.cli({"start", "--wait-for", "a{2,1}", kHelper, "pause"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("invalid regular expression 'a{2,1}': "), std::string::npos) << bad.err;
  EXPECT_EQ(s.cli({"list", "--format", "json"}).out, "{\"processes\":[]}\n");
}

}  // namespace
}  // namespace pp::test
