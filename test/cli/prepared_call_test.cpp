// What a client subcommand sends: the tool, its arguments, and a reply deadline
// long enough for a wait_for's whole wait_timeout (it once read arguments that
// had already been moved away, and kept the default 120 s).
#include "cli/tool_commands.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace pp::cli {
namespace {

class PreparedCallTest : public ::testing::Test {
 protected:
  test::TempDir data;
  GlobalOptions g{8947, data.path()};
  ToolRequest start(std::vector<std::string> words) {
    ToolRequest r;
    r.command = "start";
    r.words = std::move(words);
    r.working_directory = data.path();
    return r;
  }
};

TEST_F(PreparedCallTest, WaitTimeoutExtendsTheReplyDeadline) {
  ToolRequest r = start({"npm", "run", "dev"});
  r.wait_for = "ready";
  r.wait_timeout = 300;
  PreparedCall c = prepare_call(g, r);
  ASSERT_EQ(c.usage_error, "");
  EXPECT_EQ(c.tool, "ctrl");
  EXPECT_EQ(c.args.at("wait_for").as_string(), "ready");
  EXPECT_EQ(c.args.at("wait_timeout").to_number<double>(), 300);
  EXPECT_EQ(c.endpoint.timeout, client::Endpoint{}.timeout + std::chrono::seconds(301));
}

TEST_F(PreparedCallTest, WaitForAloneAllowsForTheDefaultThirtySeconds) {
  ToolRequest r = start({"true"});
  r.wait_for = "ready";
  EXPECT_EQ(prepare_call(g, r).endpoint.timeout, client::Endpoint{}.timeout + std::chrono::seconds(31));
}

TEST_F(PreparedCallTest, NoWaitKeepsTheDefaultDeadline) {
  PreparedCall c = prepare_call(g, start({"true"}));
  EXPECT_EQ(c.endpoint.timeout, client::Endpoint{}.timeout);
  EXPECT_EQ(c.endpoint.port, 8947);
  EXPECT_FALSE(c.args.contains("wait_for"));
}

TEST_F(PreparedCallTest, WaitForOnStopIsAUsageError) {
  ToolRequest r;
  r.command = "stop";
  r.words = {"web"};
  r.wait_for = "ready";
  PreparedCall c = prepare_call(g, r);
  EXPECT_EQ(c.usage_error, "--wait-for applies to start, restart and input only");
  EXPECT_EQ(c.tool, "");
}

TEST_F(PreparedCallTest, InputSendsTheLastWordAsTextToTheTarget) {
  ToolRequest r;
  r.command = "input";
  r.words = {"flutter run", "r"};
  r.wait_for = "Reloaded";
  PreparedCall c = prepare_call(g, r);
  ASSERT_EQ(c.usage_error, "");
  EXPECT_EQ(c.tool, "ctrl");
  EXPECT_EQ(c.args.at("action"), "input");
  EXPECT_EQ(c.args.at("command_or_label"), "flutter run");
  EXPECT_EQ(c.args.at("text"), "r");
  EXPECT_EQ(c.args.at("wait_for"), "Reloaded");
  r.words = {"42"};
  EXPECT_NE(prepare_call(g, r).usage_error, "");
}

TEST_F(PreparedCallTest, TtyAndItsSizeGoWithStart) {
  ToolRequest r = start({"vite"});
  r.tty = true;
  r.columns = 100;
  PreparedCall c = prepare_call(g, r);
  ASSERT_EQ(c.usage_error, "");
  EXPECT_EQ(c.args.at("tty"), true);
  EXPECT_EQ(c.args.at("columns"), 100);
  EXPECT_FALSE(c.args.contains("rows"));
  r.tty = false;
  EXPECT_EQ(prepare_call(g, r).usage_error, "--columns and --rows go with --tty");
}

TEST_F(PreparedCallTest, ARestartPolicyGoesWithStartOnly) {
  ToolRequest r = start({"vite"});
  r.restart = "on-failure";
  r.backoff = 0.25;
  PreparedCall c = prepare_call(g, r);
  ASSERT_EQ(c.usage_error, "");
  EXPECT_EQ(c.args.at("restart"), "on-failure");
  EXPECT_EQ(c.args.at("backoff"), 0.25);
  EXPECT_FALSE(c.args.contains("max_restarts"));
  r.restart = "";
  EXPECT_EQ(prepare_call(g, r).usage_error, "--max-restarts and --backoff go with --restart on-failure or always");
  ToolRequest stop;
  stop.command = "stop";
  stop.words = {"web"};
  stop.max_restarts = 2;
  EXPECT_EQ(prepare_call(g, stop).usage_error,
            "--restart, --max-restarts and --backoff go with start only (a restart keeps the policy)");
}

TEST_F(PreparedCallTest, RawOutputSendsNoStream) {
  ToolRequest r;
  r.command = "output";
  r.words = {"web"};
  r.raw = true;
  PreparedCall c = prepare_call(g, r);
  ASSERT_EQ(c.usage_error, "");
  EXPECT_EQ(c.args.at("raw"), true);
  EXPECT_FALSE(c.args.contains("stream"));
}

}  // namespace
}  // namespace pp::cli
