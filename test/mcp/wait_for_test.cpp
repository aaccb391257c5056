// ctrl's wait_for: matched, exited first, timed out, restart, bad patterns, and a
// pattern that would take exponential time in a backtracking engine.
#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/pattern.hpp"
#include "core/shell_words.hpp"
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class WaitFor : public McpFixture {
 protected:
  json::object start_waiting(std::vector<std::string> actions, const std::string& pattern, json::object extra = {}) {
    actions.insert(actions.begin(), kHelper);
    json::object args = std::move(extra);
    args["action"] = "start";
    args["command_or_label"] = shell_join(actions);
    args["working_directory"] = dir.path();
    args["wait_for"] = pattern;
    return call("ctrl", std::move(args));
  }
  static std::string joined(const json::object& r) {
    std::string all;
    for (const auto& l : r.at("output").as_array()) all += l.as_string();
    return all;
  }
};

TEST_F(WaitFor, ReturnsTheMatchingLineFromEitherStream) {
  auto r = start_waiting({"out:booting", "err:listening on port 4321", "out:after", "pause"}, R"(listening on port \d+)");
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_EQ(r.at("matched_line"), std::string("listening on port 4321"));
  EXPECT_GE(r.at("ready_ms").as_int64(), 0);
  EXPECT_FALSE(r.contains("output"));
  EXPECT_TRUE(instance(static_cast<int>(r.at("pid").as_int64()))->running());
}

TEST_F(WaitFor, AwaitsALineThatComesLater) {
  // The helper prints its line only on SIGUSR1, which is sent once the call is waiting.
  auto args = json::object{{"action", "start"},
                           {"command_or_label", shell_join({kHelper, "usr1:now ready", "out:waiting", "pause"})},
                           {"working_directory", dir.path()},
                           {"wait_for", "now ready"}};
  auto pending = std::make_shared<std::optional<json::object>>();
  auto* srv = server.get();
  std::string sess = session;
  boost::asio::co_spawn(
      ioc,
      [](mcp::Server* s, std::string sid, json::object a, std::shared_ptr<std::optional<json::object>> out)
          -> boost::asio::awaitable<void> {
        json::object params{{"name", "ctrl"}, {"arguments", std::move(a)}};
        json::object req{{"jsonrpc", "2.0"}, {"id", 99}, {"method", "tools/call"}, {"params", std::move(params)}};
        std::string body = json::serialize(req);
        mcp::RequestHeaders h;
        h.session_id = sid;
        auto reply = co_await s->post(h, body);
        *out = json::parse(reply.body).as_object();
      }(srv, sess, std::move(args), pending),
      boost::asio::detached);
  // Handlers run in order: once this post is through, the call has started the
  // child and is parked on its pulse (the first place it suspends).
  run_co(ioc, boost::asio::post(ioc, boost::asio::use_awaitable));
  auto all = sup->list(Target{});
  ASSERT_EQ(all.size(), 1u);
  int pid = all[0]->pid();
  await_output(pid, "waiting");
  ASSERT_FALSE(pending->has_value());
  ::kill(pid, SIGUSR1);
  run_co(ioc, [pending, this]() -> boost::asio::awaitable<void> {
    auto inst = sup->list(Target{})[0];
    while (!pending->has_value()) co_await inst->appended().wait_until(std::chrono::steady_clock::now() + 20s);
  }());
  ASSERT_TRUE(pending->has_value());
  auto r = (**pending).at("result").at("structuredContent").as_object();
  EXPECT_EQ(r.at("matched_line"), std::string("now ready"));
}

TEST_F(WaitFor, ExitBeforeAMatchIsAnErrorWithTheLastLines) {
  auto r = start_waiting({"out:loading config", "err:config is broken", "exit:3"}, "ready");
  ASSERT_TRUE(r.at("error").is_string());
  EXPECT_EQ(r.at("error"), "Process " + std::to_string(r.at("pid").as_int64()) +
                               " exited with code 3 before a line matched 'ready'.");
  std::string out = joined(r);
  EXPECT_NE(out.find("config is broken"), std::string::npos) << out;
  EXPECT_NE(out.find("[SYSTEM] Process exited with code 3"), std::string::npos) << out;
  EXPECT_TRUE(r.at("matched_line").is_null());
  EXPECT_EQ(r.at("exit_code"), 3);  // as the error says
}

TEST_F(WaitFor, TimeoutLeavesTheProcessRunningAndSaysSo) {
  auto r = start_waiting({"out:still starting", "pause"}, "ready", {{"wait_timeout", 0}});
  ASSERT_TRUE(r.at("error").is_string());
  int pid = static_cast<int>(r.at("pid").as_int64());
  EXPECT_EQ(r.at("error"), "Process " + std::to_string(pid) + " is still running, but no line matched 'ready' within 0 s.");
  EXPECT_NE(joined(r).find("[SYSTEM] Process started"), std::string::npos);
  EXPECT_TRUE(instance(pid)->running());
}

TEST_F(WaitFor, RestartWaitsForTheNewInstance) {
  int pid = start_helper({"ready", "pause"}, {{"label", "svc"}});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "restart"}, {"command_or_label", "svc"}, {"wait_for", "^rea"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_NE(r.at("pid").as_int64(), pid);
  EXPECT_EQ(r.at("matched_line"), std::string("ready"));
}

TEST_F(WaitFor, InvalidPatternQuotesRe2AndStartsNothing) {
  auto r = start_waiting({"pause"}, "(unclosed");
  EXPECT_EQ(r.at("error"), std::string("wait_for: invalid regular expression '(unclosed': missing ): (unclosed."));
  EXPECT_TRUE(r.at("pid").is_null());
  EXPECT_TRUE(sup->list(Target{}).empty());
  r = start_waiting({"pause"}, std::string(Pattern::kMaxLength + 1, 'a'));
  EXPECT_NE(r.at("error").as_string().find("at most 1000"), json::string::npos);
  EXPECT_TRUE(sup->list(Target{}).empty());
}

TEST_F(WaitFor, WaitOptionsAreCheckedLikeOtherArguments) {
  // Invalid arguments are an error result the model reads (docs/mcp.md#errors).
  auto bad = call_raw("ctrl", {{"action", "stop"}, {"pid", 1}, {"wait_for", "x"}});
  EXPECT_EQ(bad.at("isError"), true);
  EXPECT_EQ(bad.at("structuredContent").at("error"),
            std::string("Invalid arguments: 'wait_for' applies to start, restart and input only"));
  bad = call_raw("ctrl", {{"action", "start"}, {"command_or_label", "true"}, {"working_directory", dir.path()},
                          {"wait_for", "x"}, {"wait_timeout", 601}});
  EXPECT_EQ(bad.at("structuredContent").at("error"),
            std::string("Invalid arguments: 'wait_timeout' must be a number from 0 to 600"));
  EXPECT_TRUE(sup->list(Target{}).empty());
}

TEST_F(WaitFor, CatastrophicBacktrackingPatternAnswersPromptly) {
  // (a+)+$ against "aaaa…ab" takes 2^n steps in a backtracking engine; RE2 is linear.
  std::string evil(5000, 'a');
  auto r = start_waiting({"out:" + evil + "b", "out:ready", "pause"}, "^(a+)+$|^ready$");
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_EQ(r.at("matched_line"), std::string("ready"));
}

}  // namespace
}  // namespace pp::test
