// The event stream end to end: a GET on /mcp/ with a session receives lifecycle
// notifications as Server-Sent Events, is refused without a session or token, and
// ends when the session does.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/raw_http.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;

json::object data_of(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  if (ec) return {};
  auto msg = v.as_object();
  EXPECT_EQ(msg.at("method"), json::value("notifications/message"));
  return msg.at("params").at("data").as_object();
}

class Events : public ::testing::Test {
 protected:
  Server s{{"-q"}};
  std::string session = http_initialize(s.port(), s.token());
  std::map<std::string, std::string> auth() {
    return {{"Authorization", "Bearer " + s.token()}, {"Mcp-Session-Id", session}};
  }
};

TEST_F(Events, StartExitAndRestartArriveOnTheStream) {
  SseClient sse(s.port(), auth());
  ASSERT_EQ(sse.status(), 200);
  EXPECT_EQ(data_of(sse.next_data()).at("event"), json::value("stream_opened"));
  ASSERT_EQ(s.cli({"start", "--wait-for", "^ready$", "--label", "svc", kHelper, "ready", "pause"}).exit_code, 0);
  auto started = data_of(sse.next_data());
  EXPECT_EQ(started.at("event"), json::value("started"));
  EXPECT_EQ(started.at("label"), json::value("svc"));
  ASSERT_EQ(s.cli({"restart", "svc"}).exit_code, 0);
  auto exited = data_of(sse.next_data());
  EXPECT_EQ(exited.at("event"), json::value("exited"));
  EXPECT_EQ(exited.at("exit_code"), json::value(-15));
  auto restarted = data_of(sse.next_data());
  EXPECT_EQ(restarted.at("event"), json::value("restarted"));
  EXPECT_EQ(restarted.at("previous_pid"), exited.at("pid"));
}

TEST_F(Events, RefusedWithoutTokenOrSessionAndEndsWithTheSession) {
  SseClient no_token(s.port(), {{"Mcp-Session-Id", session}});
  EXPECT_EQ(no_token.status(), 401);
  SseClient no_session(s.port(), {{"Authorization", "Bearer " + s.token()}});
  EXPECT_EQ(no_session.status(), 400);
  SseClient sse(s.port(), auth());
  ASSERT_EQ(sse.status(), 200);
  auto del = http_request(s.port(), "DELETE", "/mcp/", "", auth());
  EXPECT_EQ(del.status, 200);
  EXPECT_TRUE(sse.ends());
}

}  // namespace
}  // namespace pp::test
