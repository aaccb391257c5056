#include "mcp/mcp_fixture.hpp"

#include "mcp/lifecycle_notes.hpp"

#include <signal.h>
#include <unistd.h>

#include "core/shell_words.hpp"

namespace pp::test {

void McpFixture::SetUp() {
  // As the server does (serve.cpp): input to a process that closed its stdin is EPIPE, not death.
  ::signal(SIGPIPE, SIG_IGN);
  // A short grace period keeps the TERM-ignoring cases quick; the 8 s default is
  // exercised end to end.
  sup = std::make_unique<Supervisor>(ioc.get_executor(), dir.path(), StopTimings{300ms, 5s});
  ASSERT_EQ(server_log.open(dir.path() + "/server.log"), "");
  server_log.append(now_ms(), "INFO server log line");
  server_log.flush();
  self = {static_cast<int>(::getpid()), dir.path(), dir.path() + "/server.log", &server_log, now_ms()};
  stacks = std::make_unique<stack::Stacks>(ioc.get_executor(), *sup);
  server = std::make_unique<mcp::Server>(mcp::make_tools(*sup, *stacks, self, reading), "test");
  mcp::publish_lifecycle(*sup, *server);
  auto reply = post(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
                    R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})",
                    std::nullopt, false);
  ASSERT_EQ(reply.status, 200);
  ASSERT_TRUE(reply.session_id);
  session = *reply.session_id;
}

void McpFixture::TearDown() { run_co(ioc, sup->shutdown(true)); }

mcp::Reply McpFixture::post(const std::string& body, std::optional<std::string> s, bool with_session) {
  mcp::RequestHeaders h;
  if (with_session) h.session_id = s ? s : std::optional<std::string>(session);
  return run_co(ioc, server->post(h, body));
}

json::object McpFixture::rpc(const std::string& method, json::object params) {
  json::object msg{{"jsonrpc", "2.0"}, {"id", next_id++}, {"method", method}, {"params", std::move(params)}};
  auto reply = post(json::serialize(msg));
  return json::parse(reply.body).as_object();
}

json::object McpFixture::call_raw(const std::string& tool, json::object args) {
  json::object params;
  params["name"] = tool;
  params["arguments"] = std::move(args);
  auto r = rpc("tools/call", std::move(params));
  if (!r.contains("result")) ADD_FAILURE() << "tools/call failed: " << json::serialize(r);
  return r["result"].as_object();
}

std::vector<json::object> McpFixture::calls_at_once(const std::string& tool, const std::vector<json::object>& args) {
  std::vector<std::future<mcp::Reply>> replies;
  // post() reads its headers and body while it runs.
  mcp::RequestHeaders h;
  h.session_id = session;
  std::vector<std::string> bodies;
  bodies.reserve(args.size());
  for (const auto& a : args) {
    json::object msg{{"jsonrpc", "2.0"},
                     {"id", next_id++},
                     {"method", "tools/call"},
                     {"params", {{"name", tool}, {"arguments", a}}}};
    bodies.push_back(json::serialize(msg));
    replies.push_back(boost::asio::co_spawn(ioc, server->post(h, bodies.back()), boost::asio::use_future));
  }
  // All are under way now; run the io_context until every one has its reply (bounded).
  auto deadline = std::chrono::steady_clock::now() + 30s;
  ioc.restart();
  std::vector<json::object> out;
  for (auto& r : replies) {
    while (r.wait_for(0s) != std::future_status::ready) {
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= 0s) throw std::runtime_error("calls_at_once: no reply within the bound");
      ioc.run_one_for(left);
    }
    auto reply = json::parse(r.get().body).as_object();
    if (!reply.contains("result")) ADD_FAILURE() << "tools/call failed: " << json::serialize(reply);
    out.push_back(reply["result"].as_object()["structuredContent"].as_object());
  }
  return out;
}

int McpFixture::start_helper(std::vector<std::string> actions, json::object extra) {
  actions.insert(actions.begin(), kHelper);
  json::object args = std::move(extra);
  args["action"] = "start";
  args["command_or_label"] = shell_join(actions);
  if (!args.contains("working_directory")) args["working_directory"] = dir.path();
  auto r = call("ctrl", std::move(args));
  EXPECT_TRUE(r["error"].is_null()) << json::serialize(r);
  return r["pid"].is_int64() ? static_cast<int>(r["pid"].as_int64()) : -1;
}

std::shared_ptr<Process> McpFixture::instance(int pid) {
  auto f = sup->find(Target{pid, std::nullopt, std::nullopt});
  return f.process;
}

std::string McpFixture::combined(int pid) { return read_file(instance(pid)->logs().combined_path); }

void McpFixture::await_output(int pid, const std::string& needle) {
  auto inst = instance(pid);
  ASSERT_TRUE(inst);
  std::string line = "Z " + needle + "\n";  // a whole line, not the command echoed in [SYSTEM]
  bool found = run_co(ioc, [&]() -> boost::asio::awaitable<bool> {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (read_file(inst->logs().combined_path).find(line) == std::string::npos) {
      if (inst->exited().is_set() || std::chrono::steady_clock::now() >= deadline) co_return false;
      co_await inst->appended().wait_until(deadline);
    }
    co_return true;
  }());
  ASSERT_TRUE(found) << "no '" << needle << "' in output of " << pid << ":\n" << combined(pid);
}

void McpFixture::await_exit(int pid) {
  auto inst = instance(pid);
  ASSERT_TRUE(inst);
  ASSERT_TRUE(run_co(ioc, inst->exited().wait_for(20s))) << "PID " << pid << " did not exit";
}

}  // namespace pp::test
