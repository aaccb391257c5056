// Stacks over MCP (docs/mcp.md#list, docs/stacks.md#readiness): list's stack, name,
// depends_on, ready and ready_ms, its stack filter and its bad values, and the
// `ready` notification — once per instance, a restarted one unready in list until
// its own ready line. Processes with a stack's settings are started on the table
// directly (ctrl start has no such arguments); each step awaits a notification.
#include <signal.h>

#include <algorithm>

#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class McpReadiness : public McpFixture {
 protected:
  void SetUp() override {
    McpFixture::SetUp();
    mcp::RequestHeaders h;
    h.session_id = session;
    stream = server->open_stream(h, ioc.get_executor()).stream;
    ASSERT_TRUE(stream);
  }
  int start_member(const std::string& stack, const std::string& name, std::vector<std::string> actions,
                   const std::string& ready_line, std::vector<StackMember::Dependency> deps = {}) {
    ProcessSpec spec;
    spec.command = {kHelper};
    spec.command.insert(spec.command.end(), actions.begin(), actions.end());
    spec.cwd = dir.path();
    spec.label = stack + "/" + name;
    spec.member = {stack, name, std::move(deps)};
    if (!ready_line.empty()) {
      std::string error;
      spec.ready.log_line = Pattern::compile(ready_line, error);
    }
    auto out = sup->start(std::move(spec));
    EXPECT_EQ(out.error, "");
    return out.process ? out.process->pid() : -1;
  }
  // Every notification's data so far, in order.
  std::vector<json::object> events() {
    for (const auto& m : stream->pending) seen.push_back(json::parse(m).at("params").at("data").as_object());
    stream->pending.clear();
    return seen;
  }
  // Awaits the `ready` notification of `pid` (bounded at 20 s).
  json::object await_ready(int pid) {
    auto found = run_co(ioc, [&]() -> boost::asio::awaitable<std::optional<json::object>> {
      auto deadline = std::chrono::steady_clock::now() + 20s;
      for (;;) {
        for (const auto& e : events())
          if (e.at("event") == std::string("ready") && e.at("pid").as_int64() == pid) co_return e;
        if (std::chrono::steady_clock::now() >= deadline) co_return std::nullopt;
        co_await stream->wake.wait_until(deadline);
      }
    }());
    if (!found) ADD_FAILURE() << "no ready event of " << pid;
    return found.value_or(json::object{});
  }
  std::size_t ready_events() {
    auto all = events();
    return static_cast<std::size_t>(
        std::count_if(all.begin(), all.end(), [](const json::object& e) { return e.at("event") == std::string("ready"); }));
  }
  json::object entry(int pid) {
    auto procs = call("list", {{"pid", pid}}).at("processes").as_array();
    EXPECT_EQ(procs.size(), 1u);
    return procs.empty() ? json::object{} : procs[0].as_object();
  }

  std::shared_ptr<mcp::EventStream> stream;
  std::vector<json::object> seen;
};

TEST_F(McpReadiness, ListShowsAMembersPlaceAndReadinessAndTheReadyNotificationComesOnce) {
  int pid = start_member("shop", "web", {"out:booting", "await-usr1:waiting", "out:listening", "pause"}, "^listening$",
                         {{"db", "process_ready"}});
  await_output(pid, "waiting");
  auto e = entry(pid);
  EXPECT_EQ(e.at("stack"), std::string("shop"));
  EXPECT_EQ(e.at("name"), std::string("web"));
  EXPECT_EQ(e.at("depends_on"), json::parse(R"([{"name":"db","condition":"process_ready"}])"));
  EXPECT_EQ(e.at("ready"), json::value(false));
  EXPECT_TRUE(e.at("ready_ms").is_null());
  EXPECT_EQ(ready_events(), 0u);

  ::kill(pid, SIGUSR1);
  auto note = await_ready(pid);
  EXPECT_EQ(note.at("label"), std::string("shop/web"));
  EXPECT_EQ(note.at("status"), std::string("running"));
  ASSERT_TRUE(note.at("ready_ms").is_int64()) << json::serialize(note);
  e = entry(pid);
  EXPECT_EQ(e.at("ready"), json::value(true));
  EXPECT_EQ(e.at("ready_ms"), note.at("ready_ms"));
  EXPECT_EQ(ready_events(), 1u);

  // Restarted: a new instance, unready until its own line, announced once more.
  auto r = call("ctrl", {{"action", "restart"}, {"pid", pid}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  int fresh = static_cast<int>(r.at("pid").as_int64());
  await_output(fresh, "waiting");
  e = entry(fresh);
  EXPECT_EQ(e.at("ready"), json::value(false));
  EXPECT_TRUE(e.at("ready_ms").is_null());
  EXPECT_EQ(e.at("stack"), std::string("shop"));  // membership is kept
  EXPECT_EQ(entry(pid).at("ready"), json::value(false));  // the old one ended
  EXPECT_EQ(ready_events(), 1u);
  ::kill(fresh, SIGUSR1);
  await_ready(fresh);
  EXPECT_EQ(entry(fresh).at("ready"), json::value(true));
  EXPECT_EQ(ready_events(), 2u);
}

TEST_F(McpReadiness, AProcessOnItsOwnIsReadyWhileRunningWithNoStack) {
  int pid = start_helper({"out:up", "pause"});
  await_output(pid, "up");
  auto e = entry(pid);
  EXPECT_TRUE(e.at("stack").is_null());
  EXPECT_TRUE(e.at("name").is_null());
  EXPECT_EQ(e.at("depends_on"), json::value(json::array{}));
  EXPECT_EQ(e.at("ready"), json::value(true));
  EXPECT_TRUE(e.at("ready_ms").is_null());
  auto s = call("list", {{"pid", 0}}).at("processes").at(0).as_object();
  EXPECT_EQ(s.at("ready"), json::value(true));
  EXPECT_TRUE(s.at("stack").is_null());
  call("ctrl", {{"action", "stop"}, {"pid", pid}});
  EXPECT_EQ(entry(pid).at("ready"), json::value(false));
  EXPECT_EQ(ready_events(), 0u);
}

TEST_F(McpReadiness, ListsStackFilterAndLookupByName) {
  int web = start_member("shop", "web", {"pause"}, "");
  int db = start_member("shop", "db", {"pause"}, "");
  int blog = start_member("blog", "api", {"out:i am api", "pause"}, "");
  start_helper({"pause"});
  auto shop = call("list", {{"stack", "shop"}}).at("processes").as_array();
  ASSERT_EQ(shop.size(), 2u) << json::serialize(shop);
  EXPECT_EQ(shop[0].at("pid").as_int64(), web);
  EXPECT_EQ(shop[1].at("pid").as_int64(), db);
  auto both = call("list", {{"stack", "blog"}, {"command_or_label", "blog/api"}}).at("processes").as_array();
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].at("pid").as_int64(), blog);
  EXPECT_TRUE(call("list", {{"stack", "none"}}).at("processes").as_array().empty());
  EXPECT_EQ(call("list", {{"stack", nullptr}}).at("processes").as_array().size(), 4u);  // null: no filter

  // A member's name finds it when one stack has it (here through output's lookup).
  await_output(blog, "i am api");
  auto out = call("output", {{"command_or_label", "api"}});
  ASSERT_TRUE(out.at("error").is_null()) << json::serialize(out);
  EXPECT_NE(json::serialize(out.at("output")).find("i am api"), std::string::npos) << json::serialize(out);
  start_member("blog", "web", {"pause"}, "");
  auto two = call("output", {{"command_or_label", "web"}});
  ASSERT_TRUE(two.at("error").is_string());
  EXPECT_NE(std::string(two.at("error").as_string()).find("'blog/web' (stack blog)"), std::string::npos)
      << json::serialize(two);
}

TEST_F(McpReadiness, ABadStackFilterIsInvalidArguments) {
  std::pair<json::object, std::string> cases[] = {
      {json::object{{"stack", 5}}, "Invalid arguments: 'stack' must be a string"},
      {json::object{{"stack", ""}}, "Invalid arguments: 'stack' must not be empty"}};
  for (const auto& [args, error] : cases) {
    auto r = call_raw("list", args);
    EXPECT_EQ(r.at("isError"), true) << json::serialize(args);
    EXPECT_EQ(r.at("structuredContent").at("error"), error) << json::serialize(r);
  }
}

TEST_F(McpReadiness, TheSchemasNameTheNewFields) {
  auto tools = rpc("tools/list", {}).at("result").at("tools").as_array();
  auto it = std::find_if(tools.begin(), tools.end(), [](const json::value& t) { return t.at("name") == std::string("list"); });
  ASSERT_NE(it, tools.end());
  EXPECT_TRUE(it->at("inputSchema").at("properties").as_object().contains("stack"));
  const auto& item = it->at("outputSchema").at("properties").at("processes").at("items").as_object();
  for (const char* k : {"stack", "name", "depends_on", "ready", "ready_ms"}) {
    EXPECT_TRUE(item.at("properties").as_object().contains(k)) << k;
    const auto& req = item.at("required").as_array();
    EXPECT_NE(std::find(req.begin(), req.end(), json::value(k)), req.end()) << k;
  }
}

}  // namespace
}  // namespace pp::test
