// The fuzz seeds are what their names say (docs/fuzzing.md#seeds): each request
// seed parses with Beast and gets the status its name ends with; each session (and
// start) seed, posted in a live session to the fuzz world, gets the answer its name
// ends with. The shell and ISO seeds are accepted by their parsers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>

#include "core/shell_words.hpp"
#include "core/timestamp.hpp"
#include "fuzz_world.hpp"
#include "helper_only.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct Seed {
  std::string name;      // without the expectation
  std::string expected;  // what follows the last '.'
  std::string bytes;
};

std::vector<Seed> seeds(const std::string& corpus) {
  std::vector<Seed> out;
  for (const auto& e : fs::directory_iterator(std::string(PP_FUZZ_CORPUS) + "/" + corpus)) {
    std::string file = e.path().filename().string();
    auto dot = file.rfind('.');
    out.push_back({file.substr(0, dot), dot == std::string::npos ? "" : file.substr(dot + 1), read_file(e.path())});
  }
  std::sort(out.begin(), out.end(), [](const Seed& a, const Seed& b) { return a.name < b.name; });
  return out;
}

// The tool results (structuredContent and isError) among the responses in `body`.
std::vector<json::object> tool_results(const json::value& body) {
  std::vector<json::object> out;
  auto add = [&](const json::value& m) {
    auto* r = m.is_object() ? m.as_object().if_contains("result") : nullptr;
    if (r && r->is_object() && r->as_object().contains("isError")) out.push_back(r->as_object());
  };
  if (body.is_array())
    for (const auto& m : body.as_array()) add(m);
  else
    add(body);
  return out;
}

class FuzzSeeds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world = std::make_unique<fuzz::World>(); }
  static void TearDownTestSuite() { world.reset(); }
  static std::unique_ptr<fuzz::World> world;
};
std::unique_ptr<fuzz::World> FuzzSeeds::world;

TEST_F(FuzzSeeds, TheWorldHoldsEndedProcessesOneWithARotatedLog) {
  for (const char* label : {fuzz::kShort, fuzz::kCrashed, fuzz::kRotated}) EXPECT_GT(world->pid_of(label), 0) << label;
  std::string combined = world->combined_path(fuzz::kRotated);
  EXPECT_TRUE(fs::exists(combined + ".1")) << "no " << combined << ".1";
}

TEST_F(FuzzSeeds, EveryRequestSeedParsesAndGetsTheStatusItsNameSays) {
  auto all = seeds("mcp_request");
  ASSERT_GE(all.size(), 10u);
  for (const auto& s : all) {
    SCOPED_TRACE(s.name + "." + s.expected);
    std::string error;
    auto req = fuzz::parse_request(s.bytes, &error);
    ASSERT_TRUE(req) << "Beast refuses it: " << error;
    auto res = world->send(*req);
    EXPECT_EQ(std::to_string(res.result_int()), s.expected) << res.body();
    if (s.expected == "200") {
      EXPECT_FALSE(fuzz::rpc_error_code(res.body())) << res.body();
    }
    if (auto id = res.find("Mcp-Session-Id"); id != res.end()) world->end_session(std::string(id->value()));
  }
}

// A session or start seed's answer against its name (docs/fuzzing.md#seeds).
void expect_answer(const Seed& s, const http::Response& res) {
  auto code = fuzz::rpc_error_code(res.body());
  if (s.expected == "ok") {
    EXPECT_TRUE(res.result_int() == 200 || res.result_int() == 202) << res.result_int();
    EXPECT_FALSE(code) << res.body();
    if (res.result_int() == 200)
      for (const auto& r : tool_results(json::parse(res.body()))) {
        EXPECT_FALSE(r.at("isError").as_bool()) << res.body();
      }
    return;
  }
  if (s.expected.starts_with("rpc")) {
    EXPECT_EQ(code, std::stoll(s.expected.substr(3))) << res.body();
    return;
  }
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto results = tool_results(json::parse(res.body()));
  ASSERT_FALSE(results.empty()) << res.body();
  // In a batch, the last call is the one meant to fail.
  const auto& last = results.back();
  EXPECT_TRUE(last.at("isError").as_bool()) << res.body();
  std::string message(last.at("structuredContent").at("error").as_string());
  if (s.expected == "invalid")
    EXPECT_TRUE(message.starts_with("Invalid arguments: ")) << message;
  else if (s.expected == "tool-error")
    EXPECT_FALSE(message.starts_with("Invalid arguments: ")) << message;
  else
    ADD_FAILURE() << "unknown expectation '" << s.expected << "'";
}

TEST_F(FuzzSeeds, EverySessionSeedGetsTheAnswerItsNameSays) {
  auto all = seeds("mcp_session");
  ASSERT_GE(all.size(), 20u);
  for (const auto& s : all) {
    SCOPED_TRACE(s.name + "." + s.expected);
    auto res = world->send(world->post(s.bytes));
    if (auto id = res.find("Mcp-Session-Id"); id != res.end()) world->end_session(std::string(id->value()));
    ASSERT_TRUE(world->session_alive());
    expect_answer(s, res);
  }
}

// fuzz_mcp_start's seeds, run as it runs them: confined to the helper, every
// process reaped after each.
TEST(FuzzStartSeeds, EveryStartSeedGetsTheAnswerItsNameSays) {
  fuzz::World world(kHelper);
  auto all = seeds("mcp_start");
  ASSERT_GE(all.size(), 10u);
  for (const auto& s : all) {
    SCOPED_TRACE(s.name + "." + s.expected);
    auto res = world.send(world.post(fuzz::helper_only(s.bytes, world.helper(), world.run_dir())));
    ASSERT_TRUE(world.session_alive());
    expect_answer(s, res);
    world.begin_again();
  }
}

TEST(FuzzStartSeeds, OnlyTheHelperStartsWithAllowedActions) {
  std::string body = R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ctrl","arguments":)"
                     R"({"action":"start","command_or_label":"rm -rf / out:x lines:5 lines:5000 daemon fork:2",)"
                     R"("working_directory":"/etc","wait_for":"x"}}})";
  auto args = json::parse(fuzz::helper_only(body, "/h", "/d")).at("params").at("arguments").as_object();
  EXPECT_EQ(args.at("command_or_label").as_string(), "/h out:x lines:5 fork:2");
  EXPECT_EQ(args.at("working_directory").as_string(), "/d");
  EXPECT_EQ(args.at("wait_timeout").as_double(), 1.0);
  EXPECT_EQ(fuzz::helper_only("not json", "/h", "/d"), "not json");
}

TEST(FuzzSeedsPlain, ShellAndIsoSeedsAreAcceptedByTheirParsers) {
  for (const auto& s : seeds("shell_split")) EXPECT_EQ(shell_split(s.bytes).error, "") << s.name;
  for (const auto& s : seeds("iso_time"))
    EXPECT_TRUE(parse_iso(s.bytes) || parse_line_stamp(s.bytes)) << s.name << ": " << s.bytes;
}

}  // namespace
}  // namespace pp::test
