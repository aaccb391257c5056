// Streamable HTTP MCP semantics of the dispatcher: sessions, versions, JSON-RPC errors.
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class Protocol : public McpFixture {};

int error_code(const json::object& response) { return static_cast<int>(response.at("error").at("code").as_int64()); }

TEST_F(Protocol, InitializeEchoesASupportedVersionAndDeclaresTools) {
  for (const char* v : {"2025-03-26", "2025-06-18", "2025-11-25"}) {
    auto r = post(std::string(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":")") + v +
                      R"(","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})",
                  std::nullopt, false);
    ASSERT_EQ(r.status, 200);
    auto res = json::parse(r.body).at("result").as_object();
    EXPECT_EQ(res.at("protocolVersion"), v);
    EXPECT_TRUE(res.at("capabilities").as_object().contains("tools"));
    EXPECT_EQ(res.at("serverInfo").at("name"), "persistproc");
    ASSERT_TRUE(r.session_id);
    EXPECT_NE(*r.session_id, session);
  }
}

TEST_F(Protocol, InitializeWithUnknownVersionGetsTheNewest) {
  auto r = post(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"1999-01-01"}})",
                std::nullopt, false);
  EXPECT_EQ(json::parse(r.body).at("result").at("protocolVersion"), "2025-11-25");
}

TEST_F(Protocol, NotificationsAreAcceptedWith202) {
  auto r = post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_EQ(r.status, 202);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(Protocol, PingAnswersEmptyObject) {
  auto r = rpc("ping", {});
  EXPECT_EQ(r.at("result"), json::object{});
}

TEST_F(Protocol, MissingSessionIs400UnknownIs404) {
  EXPECT_EQ(post(R"({"jsonrpc":"2.0","id":1,"method":"ping"})", std::nullopt, false).status, 400);
  EXPECT_EQ(post(R"({"jsonrpc":"2.0","id":1,"method":"ping"})", std::string("nope")).status, 404);
}

TEST_F(Protocol, DeleteEndsTheSession) {
  mcp::RequestHeaders h{session, std::nullopt};
  EXPECT_EQ(server->del(h).status, 200);
  EXPECT_EQ(post(R"({"jsonrpc":"2.0","id":1,"method":"ping"})").status, 404);
  EXPECT_EQ(server->del(h).status, 404);
}

TEST_F(Protocol, UnsupportedProtocolHeaderIs400) {
  mcp::RequestHeaders h{session, std::string("2000-01-01")};
  auto r = run_co(ioc, server->post(h, R"({"jsonrpc":"2.0","id":1,"method":"ping"})"));
  EXPECT_EQ(r.status, 400);
}

TEST_F(Protocol, ParseErrorIs32700) {
  auto r = post("{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_code(json::parse(r.body).as_object()), -32700);
}

TEST_F(Protocol, InvalidRequestsAre32600) {
  for (const char* body : {R"([])", R"(42)", R"({"id":1,"method":"ping"})", R"({"jsonrpc":"1.0","id":1,"method":"ping"})",
                           R"({"jsonrpc":"2.0","id":1,"method":7})", R"({"jsonrpc":"2.0","id":{"a":1},"method":"ping"})"}) {
    auto r = post(body);
    ASSERT_FALSE(r.body.empty()) << body;
    auto v = json::parse(r.body);
    EXPECT_EQ(error_code(v.as_object()), -32600) << body;
  }
}

TEST_F(Protocol, UnknownMethodIs32601) { EXPECT_EQ(error_code(rpc("resources/list", {})), -32601); }

TEST_F(Protocol, UnknownToolAndBadArgumentsAre32602) {
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "nope"}, {"arguments", json::object{}}})), -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"arguments", json::object{}}})), -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "list"}, {"arguments", 5}})), -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "list"}, {"arguments", {{"pid", "12"}}}})), -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "list"}, {"arguments", {{"pid", 1e300}}}})), -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "list"}, {"arguments", {{"pid", 18446744073709551615ull}}}})),
            -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "output"}, {"arguments", {{"pid", 0}, {"lines", -1}}}})), -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "output"}, {"arguments", {{"pid", 0}, {"stream", "both"}}}})),
            -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "ctrl"}, {"arguments", {{"action", "explode"}}}})), -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "ctrl"}, {"arguments", {{"action", "start"}, {"environment", {{"A", 1}}}}}})),
            -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "output"}, {"arguments", {{"pid", 0}, {"lines", 1.5}}}})), -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "ctrl"}, {"arguments", {{"action", "start"}, {"environment", {{"A=B", "x"}}}}}})),
            -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "ctrl"}, {"arguments", {{"action", "start"}, {"environment", {{"", "x"}}}}}})),
            -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "list"}, {"arguments", {{"pidd", 1}}}})), -32602);
  EXPECT_EQ(error_code(rpc("tools/call", {{"name", "output"}, {"arguments", {{"pid", 0}, {"since_time", "yesterday"}}}})),
            -32602);
}

TEST_F(Protocol, AWholeNumberWrittenAsADecimalIsThatInteger) {
  auto r = call("list", {{"pid", 0.0}});
  EXPECT_EQ(r.at("processes").as_array().size(), 1u) << json::serialize(r);
}

TEST_F(Protocol, NullArgumentsMeanNotGiven) {
  auto r = call("list", {{"pid", nullptr}, {"command_or_label", nullptr}, {"working_directory", nullptr}});
  EXPECT_EQ(r, (json::object{{"processes", json::array{}}}));
}

TEST_F(Protocol, ToolsListDeclaresThreeToolsWithSchemas) {
  auto tools = rpc("tools/list", {}).at("result").at("tools").as_array();
  ASSERT_EQ(tools.size(), 3u);
  std::vector<std::string> names;
  for (const auto& t : tools) {
    names.emplace_back(t.at("name").as_string());
    EXPECT_EQ(t.at("inputSchema").at("type"), "object");
    EXPECT_EQ(t.at("outputSchema").at("type"), "object");
    EXPECT_FALSE(t.at("description").as_string().empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"ctrl", "list", "output"}));
}

TEST_F(Protocol, ToolResultCarriesTextAndStructuredContentAndIsError) {
  auto ok = call_raw("list", {});
  EXPECT_EQ(ok.at("isError"), false);
  EXPECT_EQ(json::parse(ok.at("content").at(0).at("text").as_string()), ok.at("structuredContent"));
  EXPECT_EQ(ok.at("content").at(0).at("type"), "text");
  auto bad = call_raw("ctrl", {{"action", "stop"}, {"command_or_label", "nothing-like-this"}});
  EXPECT_EQ(bad.at("isError"), true);
  EXPECT_TRUE(bad.at("structuredContent").at("error").is_string());
}

TEST_F(Protocol, BatchesAnswerEachRequest) {
  auto r = post(R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"},)"
                R"({"jsonrpc":"2.0","id":2,"method":"nope"}])");
  ASSERT_EQ(r.status, 200);
  auto arr = json::parse(r.body).as_array();
  ASSERT_EQ(arr.size(), 2u);
  EXPECT_TRUE(arr[0].as_object().contains("result"));
  EXPECT_EQ(arr[1].at("error").at("code"), -32601);
}

// Issue reproduction: one batch of 1,025 initialize calls used to evict every
// other session. A batch now starts at most one session, and the fixture's own
// session (just used) survives.
TEST_F(Protocol, ABatchOfInitializesStartsOneSessionAndEvictsNoOne) {
  std::string batch = "[";
  for (int i = 0; i < 1025; ++i)
    batch += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":)" + std::to_string(i) +
             R"(,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})";
  batch += "]";
  auto r = post(batch);
  ASSERT_EQ(r.status, 200);
  auto arr = json::parse(r.body).as_array();
  ASSERT_EQ(arr.size(), 1025u);
  EXPECT_TRUE(arr[0].as_object().contains("result"));
  EXPECT_EQ(arr[1].at("error").at("code"), -32600);
  EXPECT_TRUE(arr[1024].as_object().contains("error"));
  EXPECT_TRUE(r.session_id.has_value());
  EXPECT_EQ(post(R"({"jsonrpc":"2.0","id":1,"method":"ping"})").status, 200);  // ours still lives
}

TEST_F(Protocol, AConnectionPastItsSessionQuotaGetsAnErrorNotASession) {
  mcp::RequestHeaders h;
  h.may_start_session = false;
  auto r = run_co(ioc, server->post(h, R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})"));
  EXPECT_FALSE(r.session_id.has_value());
  auto reply = json::parse(r.body).as_object();
  EXPECT_EQ(reply.at("error").at("code"), -32000);
  EXPECT_NE(std::string(reply.at("error").at("message").as_string()).find("Too many sessions"), std::string::npos);
}

}  // namespace
}  // namespace pp::test
