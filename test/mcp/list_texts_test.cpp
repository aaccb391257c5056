// list answers from entries kept as text between calls (list_texts.hpp): the text
// must always say what a freshly built entry would, and the reply's two forms
// (structuredContent and the text content) must agree.
#include <signal.h>

#include <random>

#include "mcp/list_texts.hpp"
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

TEST(ToolText, QuotesExactlyAsBoostSerializesAString) {
  for (int c = 0; c < 256; ++c) {
    std::string s = "a" + std::string(1, static_cast<char>(c)) + "b";
    std::string quoted = "\"";
    mcp::append_quoted(quoted, s);
    quoted += '"';
    EXPECT_EQ(quoted, json::serialize(json::value(s))) << "byte " << c;
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string s(rng() % 64, '\0');
    for (auto& ch : s) ch = static_cast<char>(rng() % 128);
    std::string quoted = "\"";
    mcp::append_quoted(quoted, s);
    quoted += '"';
    ASSERT_EQ(quoted, json::serialize(json::value(s)));
  }
}

TEST(ToolText, AResponseParsesAndCarriesTheResultInBothForms) {
  std::string out;
  mcp::response_head(out, "\"id-1\"");
  mcp::append_result(out, {{"error", "no \"such\" process\n"}, {"n", 1}});
  auto response = json::parse(out).as_object();
  EXPECT_EQ(response.at("jsonrpc"), std::string("2.0"));
  EXPECT_EQ(response.at("id"), std::string("id-1"));
  auto r = response.at("result").as_object();
  EXPECT_EQ(r.at("isError"), true);
  EXPECT_EQ(json::parse(r.at("content").as_array().at(0).at("text").as_string()), r.at("structuredContent"));
  EXPECT_EQ(r.at("structuredContent").at("error"), std::string("no \"such\" process\n"));
}

class ListTexts : public McpFixture {
 protected:
  // list's result, after checking its text content against its structuredContent.
  json::array listed(json::object args = {}) {
    auto r = call_raw("list", std::move(args));
    EXPECT_EQ(json::parse(r.at("content").as_array().at(0).at("text").as_string()), r.at("structuredContent"));
    return r.at("structuredContent").at("processes").as_array();
  }
  // A copy: the argument is usually a temporary.
  json::object by_pid(const json::array& procs, int pid) {
    for (const auto& p : procs)
      if (p.at("pid").as_int64() == pid) return p.as_object();
    ADD_FAILURE() << "pid " << pid << " not listed: " << json::serialize(procs);
    return {};
  }
};

TEST_F(ListTexts, EveryEntryHasEveryFieldOfTheSchema) {
  start_helper({"out:\"quoted\" \\ and tab\t", "pause"}, {{"label", "we\"ird\\label"}});
  int ended = start_helper({"exit:3"});
  await_exit(ended);
  json::array required;
  auto tools = rpc("tools/list", {});
  for (const auto& t : tools.at("result").at("tools").as_array())
    if (t.at("name") == std::string("list"))
      required = t.at("outputSchema").at("properties").at("processes").at("items").at("required").as_array();
  ASSERT_FALSE(required.empty());
  for (int round = 0; round < 2; ++round) {  // made, then reused
    auto procs = listed();
    ASSERT_EQ(procs.size(), 2u);
    for (const auto& p : procs) {
      for (const auto& k : required) EXPECT_TRUE(p.as_object().contains(k.as_string())) << k << " in " << p;
      EXPECT_EQ(p.as_object().size(), required.size()) << p;
    }
  }
  EXPECT_EQ(by_pid(listed(), ended).at("exit_code").as_int64(), 3);
  EXPECT_EQ(listed({{"command_or_label", "we\"ird\\label"}}).at(0).at("label"), std::string("we\"ird\\label"));
}

TEST_F(ListTexts, AReusedEntrySaysWhatChangedSinceTheLastCall) {
  int pid = start_helper({"pause"}, {{"label", "svc"}});
  auto before = by_pid(listed(), pid);
  EXPECT_EQ(before.at("status"), std::string("running"));
  EXPECT_TRUE(before.at("rss_bytes").is_int64());
  auto again = listed();  // from the kept text
  EXPECT_EQ(by_pid(again, pid).at("status"), std::string("running"));

  auto r = call("ctrl", {{"action", "stop"}, {"pid", pid}});
  ASSERT_TRUE(r.at("error").is_null()) << r;
  auto after = by_pid(listed(), pid);
  EXPECT_EQ(after.at("status"), std::string("terminated"));
  EXPECT_FALSE(after.at("end_time").is_null());
  EXPECT_TRUE(after.at("rss_bytes").is_null());
  EXPECT_TRUE(after.at("uptime_s").is_null());
  EXPECT_EQ(after.at("ports").as_array().size(), 0u);

  int next = start_helper({"pause"}, {{"label", "svc"}});
  EXPECT_EQ(by_pid(listed(), next).at("status"), std::string("running"));
  EXPECT_EQ(by_pid(listed(), pid).at("status"), std::string("terminated"));
}

TEST_F(ListTexts, FiltersAndThePidZeroEntryStillAnswer) {
  int a = start_helper({"pause"}, {{"label", "a"}});
  start_helper({"pause"}, {{"label", "b"}});
  EXPECT_EQ(listed().size(), 2u);
  auto only_a = listed({{"command_or_label", "a"}});
  ASSERT_EQ(only_a.size(), 1u);
  EXPECT_EQ(only_a.at(0).at("pid").as_int64(), a);
  EXPECT_EQ(listed().size(), 2u);  // b, dropped from the last call, is made again
  auto self = listed({{"pid", 0}});
  ASSERT_EQ(self.size(), 1u);
  EXPECT_EQ(self.at(0).at("label"), std::string("persistproc-server"));
  EXPECT_EQ(listed({{"command_or_label", "nothing"}}).size(), 0u);
}

}  // namespace
}  // namespace pp::test
