// Lifecycle notifications on a session's event stream (the GET/SSE side of
// Streamable HTTP), logging/setLevel filtering, and the stream's end.
#include <filesystem>

#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class Notifications : public McpFixture {
 protected:
  std::shared_ptr<mcp::EventStream> open() {
    mcp::RequestHeaders h;
    h.session_id = session;
    auto opened = server->open_stream(h, ioc.get_executor());
    EXPECT_EQ(opened.reply.status, 200);
    auto first = take(*opened.stream);
    EXPECT_EQ(first.size(), 1u);
    if (!first.empty()) {
      EXPECT_EQ(first[0].at("event"), std::string("stream_opened"));
    }
    return opened.stream;
  }
  // The data of each queued notifications/message, oldest first (and empties the queue).
  static std::vector<json::object> take(mcp::EventStream& s) {
    std::vector<json::object> out;
    for (const auto& m : s.pending) {
      auto msg = json::parse(m).as_object();
      EXPECT_EQ(msg.at("method"), std::string("notifications/message"));
      auto params = msg.at("params").as_object();
      auto data = params.at("data").as_object();
      data["level"] = params.at("level");
      out.push_back(std::move(data));
    }
    s.pending.clear();
    return out;
  }
};

TEST_F(Notifications, InitializeDeclaresLogging) {
  auto r = rpc("initialize", {{"protocolVersion", "2025-06-18"}, {"capabilities", json::object{}},
                              {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
  EXPECT_TRUE(r.at("result").at("capabilities").as_object().contains("logging"));
}

TEST_F(Notifications, StartExitAndRestartArriveWithStructuredData) {
  auto s = open();
  int pid = start_helper({"ready", "pause"}, {{"label", "svc"}});
  await_output(pid, "ready");
  auto r = call("ctrl", {{"action", "restart"}, {"command_or_label", "svc"}});
  int fresh = static_cast<int>(r.at("pid").as_int64());
  auto events = take(*s);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("event"), std::string("started"));
  EXPECT_EQ(events[0].at("pid").as_int64(), pid);
  EXPECT_EQ(events[0].at("label"), std::string("svc"));
  EXPECT_EQ(events[0].at("status"), std::string("running"));
  EXPECT_EQ(events[0].at("level"), std::string("info"));
  EXPECT_EQ(events[1].at("event"), std::string("exited"));
  EXPECT_EQ(events[1].at("pid").as_int64(), pid);
  EXPECT_EQ(events[1].at("status"), std::string("terminated"));
  EXPECT_EQ(events[1].at("exit_code").as_int64(), -15);
  EXPECT_EQ(events[1].at("level"), std::string("notice"));
  EXPECT_EQ(events[1].at("restarting"), json::value(true));
  EXPECT_EQ(events[2].at("event"), std::string("restarted"));
  EXPECT_EQ(events[2].at("pid").as_int64(), fresh);
  EXPECT_EQ(events[2].at("previous_pid").as_int64(), pid);
  EXPECT_EQ(events[2].at("log_combined"), std::string(r.at("log_combined").as_string()));
}

TEST_F(Notifications, AnExitOnTheWayToARestartSaysSoAndAFailedRestartIsAnEvent) {
  TempDir gone;
  std::string where = gone.path() + "/sub";
  std::filesystem::create_directory(where);
  int pid = start_helper({"ready", "pause"}, {{"working_directory", where}});
  await_output(pid, "ready");
  auto s = open();
  std::filesystem::remove(where);  // the new instance cannot start
  auto r = call("ctrl", {{"action", "restart"}, {"pid", pid}});
  ASSERT_TRUE(r.at("error").is_string());
  auto events = take(*s);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].at("event"), std::string("exited"));
  EXPECT_EQ(events[0].at("restarting"), json::value(true));
  EXPECT_EQ(events[1].at("event"), std::string("restart_failed"));
  EXPECT_EQ(events[1].at("pid").as_int64(), pid);
  EXPECT_EQ(events[1].at("error"), "Working directory does not exist: " + where);
  EXPECT_EQ(events[1].at("level"), std::string("error"));
}

TEST_F(Notifications, ACrashCarriesItsCodeAndLastFiveLines) {
  auto s = open();
  int pid = start_helper({"lines:8", "out:fatal: disk full", "exit:3"});
  await_exit(pid);
  auto events = take(*s);
  ASSERT_EQ(events.size(), 2u);
  const auto& e = events[1];
  EXPECT_EQ(e.at("event"), std::string("exited"));
  EXPECT_EQ(e.at("exit_code").as_int64(), 3);
  EXPECT_EQ(e.at("level"), std::string("error"));
  const auto& out = e.at("output").as_array();
  ASSERT_EQ(out.size(), 5u) << json::serialize(e);
  EXPECT_TRUE(out[4].as_string().ends_with(" fatal: disk full\n")) << out[4];
  EXPECT_TRUE(out[0].as_string().ends_with(" line 5\n")) << out[0];
}

TEST_F(Notifications, ACleanExitCarriesNoOutput) {
  auto s = open();
  int pid = start_helper({"out:done", "exit:0"});
  await_exit(pid);
  auto events = take(*s);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].at("exit_code").as_int64(), 0);
  EXPECT_EQ(events[1].at("level"), std::string("info"));
  EXPECT_FALSE(events[1].contains("output"));
}

TEST_F(Notifications, SetLevelFiltersLessSevereMessages) {
  EXPECT_EQ(rpc("logging/setLevel", {{"level", "error"}}).at("result"), json::value(json::object{}));
  mcp::RequestHeaders h;
  h.session_id = session;
  auto s = server->open_stream(h, ioc.get_executor()).stream;
  EXPECT_TRUE(s->pending.empty());  // not even the debug-level "stream_opened"
  int ok = start_helper({"exit:0"});
  await_exit(ok);
  int bad = start_helper({"exit:9"});
  await_exit(bad);
  auto events = take(*s);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("pid").as_int64(), bad);
  auto wrong = rpc("logging/setLevel", {{"level", "loud"}});
  EXPECT_EQ(wrong.at("error").at("code").as_int64(), -32602);
}

TEST_F(Notifications, StreamsNeedALiveSessionAndEndWithIt) {
  mcp::RequestHeaders none;
  EXPECT_EQ(server->open_stream(none, ioc.get_executor()).reply.status, 400);
  mcp::RequestHeaders unknown;
  unknown.session_id = "no-such-session";
  EXPECT_EQ(server->open_stream(unknown, ioc.get_executor()).reply.status, 404);
  auto s = open();
  mcp::RequestHeaders h;
  h.session_id = session;
  EXPECT_EQ(server->del(h).status, 200);
  EXPECT_TRUE(s->closed);
}

TEST_F(Notifications, AClientThatStopsReadingIsCutOffNotBuffered) {
  auto s = open();
  for (std::size_t i = 0; i <= mcp::EventStream::kMaxPending; ++i) server->notify(1, "test", json::value(i));
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(s->pending.size(), mcp::EventStream::kMaxPending);
}

}  // namespace
}  // namespace pp::test
