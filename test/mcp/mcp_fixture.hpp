// In-process MCP fixture: the real dispatcher, a real supervisor and real children
// on a test io_context, no HTTP (test/README.md#principles).
#pragma once
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <concepts>
#include <memory>

#include "core/event.hpp"
#include "core/worker_pool.hpp"
#include "mcp/server.hpp"
#include "stack/stacks.hpp"
#include "support/test_support.hpp"

// Lets tests write EXPECT_EQ(result.at("label"), some_std_string).
namespace boost::json {
template <class S>
  requires std::same_as<S, std::string>
bool operator==(const value& v, const S& s) {
  return v.is_string() && v.as_string() == s;
}
}  // namespace boost::json

namespace pp::test {

namespace json = boost::json;

class McpFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Raw POST with this fixture's session unless `session` says otherwise.
  mcp::Reply post(const std::string& body, std::optional<std::string> session = std::nullopt,
                  bool with_session = true);
  // A JSON-RPC request in the session; returns the whole response object.
  json::object rpc(const std::string& method, json::object params);
  // tools/call; returns the whole call result (content, structuredContent, isError).
  json::object call_raw(const std::string& tool, json::object args);
  // tools/call; returns structuredContent.
  json::object call(const std::string& tool, json::object args) { return call_raw(tool, std::move(args))["structuredContent"].as_object(); }
  // Several tools/call requests in flight at once (all posted before any is
  // answered); returns each one's structuredContent, in the order given.
  std::vector<json::object> calls_at_once(const std::string& tool, const std::vector<json::object>& args);
  // Starts the test helper with `actions`; returns its pid (fails the test on error).
  int start_helper(std::vector<std::string> actions, json::object extra = {});

  std::shared_ptr<Process> instance(int pid);
  // Awaits a line whose text is exactly `needle` in the combined log of `pid` (on the appended pulse).
  void await_output(int pid, const std::string& needle);
  // Awaits the exit event of `pid`.
  void await_exit(int pid);
  std::string combined(int pid);

  boost::asio::io_context ioc;
  // After ioc: joined before it goes, as in the server.
  WorkerPool readers{mcp::kReaderThreads};
  // The tools hold a reference: a test may change the budget or set on_block before a call.
  mcp::OutputReading reading{&readers, kReadBudget, nullptr};
  TempDir dir;
  std::unique_ptr<Supervisor> sup;
  std::unique_ptr<stack::Stacks> stacks;
  LogFile server_log;
  mcp::ServerSelf self;
  std::unique_ptr<mcp::Server> server;
  std::string session;
  std::int64_t next_id = 1;
};

}  // namespace pp::test
