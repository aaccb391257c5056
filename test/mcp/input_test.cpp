// ctrl input: stdin stays open, text reaches the process, wait_for on what follows,
// and the errors (ended, not reading) come back as results without a hang.
#include <string>

#include "core/shell_words.hpp"
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class Input : public McpFixture {
 protected:
  json::object input(int pid, const std::string& text, json::object extra = {}) {
    extra["action"] = "input";
    extra["pid"] = pid;
    extra["text"] = text;
    return call("ctrl", std::move(extra));
  }
};

TEST_F(Input, AProgramThatEndsAtEndOfInputKeepsRunning) {
  // The reproduction of issue 12: with stdin on /dev/null this exits at once, code 0.
  auto started = call("ctrl", {{"action", "start"},
                               {"command_or_label", "sh -c 'echo watching; cat >/dev/null; echo stdin closed'"},
                               {"working_directory", dir.path()},
                               {"wait_for", "watching"}});
  ASSERT_TRUE(started.at("error").is_null()) << json::serialize(started);
  int pid = static_cast<int>(started.at("pid").as_int64());
  auto r = input(pid, "still there\n");
  EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_TRUE(instance(pid)->running());
  EXPECT_EQ(combined(pid).find("Z stdin closed\n"), std::string::npos) << combined(pid);  // not the command line
}

TEST_F(Input, ReachesTheProcessAndWaitsForTheEcho) {
  int pid = start_helper({"out:ready", "readline"});
  await_output(pid, "ready");
  auto r = input(pid, "hello\n", {{"wait_for", "^read: hello$"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_EQ(r.at("action"), std::string("input"));
  EXPECT_EQ(r.at("matched_line"), std::string("read: hello"));
  EXPECT_GE(r.at("ready_ms").as_int64(), 0);
  // A second input: the watcher sees only lines after its own write.
  r = input(pid, "again\n", {{"wait_for", "^read: "}});
  EXPECT_EQ(r.at("matched_line"), std::string("read: again")) << json::serialize(r);
  EXPECT_TRUE(instance(pid)->running());
}

TEST_F(Input, ByLabel) {
  int pid = start_helper({"readline"}, {{"label", "repl"}});
  auto r = call("ctrl", {{"action", "input"}, {"command_or_label", "repl"}, {"text", "x\n"}, {"wait_for", "read: x"}});
  EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_EQ(r.at("pid").as_int64(), pid);
}

TEST_F(Input, ToAnEndedProcessIsAnError) {
  int pid = start_helper({"exit:3"});
  await_exit(pid);
  auto r = input(pid, "anyone?\n");
  ASSERT_TRUE(r.at("error").is_string());
  EXPECT_NE(std::string(r.at("error").as_string()).find("not running"), std::string::npos) << json::serialize(r);
  EXPECT_EQ(r.at("exit_code").as_int64(), 3);
}

TEST_F(Input, ToAProcessThatDoesNotReadIsAnErrorPastTheBuffer) {
  int pid = start_helper({"out:ready", "pause"});
  await_output(pid, "ready");
  std::string chunk(16 * 1024, 'a');
  std::string error;
  // The pipe takes 64 KiB, the server queues 64 KiB more; then it refuses.
  for (int i = 0; i < 16 && error.empty(); ++i) {
    auto r = input(pid, chunk);
    if (r.at("error").is_string()) error = r.at("error").as_string();
  }
  EXPECT_NE(error.find("not reading its input"), std::string::npos) << error;
  // The server still answers, and the process is as it was.
  auto l = call("list", {});
  EXPECT_EQ(l.at("processes").as_array().size(), 1u);
  EXPECT_TRUE(instance(pid)->running());
}

TEST_F(Input, ToAProcessThatClosedItsInputIsAnError) {
  int pid = start_helper({"close-stdin", "out:ready", "pause"});
  await_output(pid, "ready");
  auto r = input(pid, "anyone?\n");  // EPIPE, not SIGPIPE
  ASSERT_TRUE(r.at("error").is_string()) << json::serialize(r);
  EXPECT_NE(std::string(r.at("error").as_string()).find("closed its input"), std::string::npos);
  EXPECT_TRUE(instance(pid)->running());
}

// Invalid arguments are an error result the model reads (docs/mcp.md#errors).
TEST_F(Input, TextGoesWithInputOnly) {
  for (json::object args : {json::object{{"action", "stop"}, {"pid", 1}, {"text", "x"}},
                            json::object{{"action", "input"}, {"pid", 1}}}) {
    auto r = call_raw("ctrl", args);
    EXPECT_EQ(r.at("isError"), true) << json::serialize(args);
    EXPECT_TRUE(std::string(r.at("structuredContent").at("error").as_string()).starts_with("Invalid arguments: "))
        << json::serialize(r);
  }
}

}  // namespace
}  // namespace pp::test
