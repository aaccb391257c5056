// An MCP session kept open against persistproc, like an agent's, and the
// arguments the benchmarks send through it.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/mcp_client.hpp"

namespace pp::bench {

class Session {
 public:
  Session(int port, std::optional<std::string> token);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  // tools/call; the result's structuredContent.
  boost::json::object call(const std::string& tool, boost::json::object args);
  // Asks `list` for the process until it is no longer running; how many answers still said running.
  long await_not_running(int pid);

 private:
  boost::asio::io_context ioc_;
  pp::client::McpClient c_;
};

// `n` running processes in `cwd`, each listening on a loopback port (labels web0,
// web1, ...), each started once it says so: the table a dev server user has.
void start_listeners(Session& sess, int n, const std::string& cwd);

// One client's share of a `list` load: opens its session, makes `calls` calls
// one after another, each latency (ms) appended to `lat`, and closes it; a call
// without processes, or a failure, counts in `errors`.
boost::asio::awaitable<void> list_calls(pp::client::McpClient& c, int calls, std::vector<double>& lat, long& errors);

// ctrl's arguments to start `cmd` in `cwd`, under `label` if one is given.
boost::json::object start_args(const std::string& cmd, const std::string& cwd, const std::string& label = "");

// A pid or count from a tool's answer.
int as_int(const boost::json::value& v);

}  // namespace pp::bench
