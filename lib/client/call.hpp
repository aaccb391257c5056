// One-shot client operations for the CLI: open a session, call one tool, end it.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "client/mcp_client.hpp"

namespace pp::client {

struct CallOutcome {
  enum Kind { ok, no_server, unauthorized, protocol_error } kind = ok;
  boost::json::object result;  // the tool's structuredContent when kind == ok
  std::string message;         // why, otherwise
};

CallOutcome call_tool_once(const Endpoint& endpoint, const std::string& tool, boost::json::object args);

// The same inside a running io_context.
boost::asio::awaitable<CallOutcome> call_tool(boost::asio::any_io_executor ex, Endpoint endpoint, std::string tool,
                                              boost::json::object args);

// The server's own pid (`list` with pid 0). kind says why there is none.
struct ServerPid {
  CallOutcome::Kind kind = CallOutcome::ok;
  int pid = 0;
  std::string message;
};
ServerPid ask_server_pid(const Endpoint& endpoint);

// "Start one with: persistproc serve [--port N]", for the no-server messages.
std::string start_server_hint(int port);

struct ShutdownOutcome {
  CallOutcome::Kind kind = CallOutcome::ok;
  int pid = 0;
  std::string message;
};

// Asks the server for its pid (list pid 0), sends it SIGTERM and returns once that
// process has exited (awaited through a pidfd).
ShutdownOutcome shutdown_server(const Endpoint& endpoint);

}  // namespace pp::client
