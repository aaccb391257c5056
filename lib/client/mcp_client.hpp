// A minimal MCP client over Streamable HTTP: the CLI's way to reach the server,
// speaking the same protocol agents do (initialize, tools/call, DELETE).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace pp::client {

namespace json = boost::json;

// Nothing accepts connections on the port.
struct NoServer : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The server answered, but not with what MCP promises (HTTP or JSON-RPC error).
struct ProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where the server is and how to prove we may talk to it.
struct Endpoint {
  int port = 8947;
  std::optional<std::string> token;  // sent as "Authorization: Bearer <token>"
  // A failure bound per request; a restart may take the 10 s stop sequence plus a start.
  std::chrono::seconds timeout{120};
};

// The server answered 401: the token is missing or wrong.
struct Unauthorized : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class McpClient {
 public:
  McpClient(boost::asio::any_io_executor ex, Endpoint endpoint);
  ~McpClient();

  // Connects and runs the initialize handshake.
  boost::asio::awaitable<void> open();
  // tools/call; returns the result's structuredContent.
  boost::asio::awaitable<json::object> call_tool(const std::string& name, json::object args);
  // Ends the session (DELETE) and closes the connection.
  boost::asio::awaitable<void> close();

  // After open(): the session's id and protocol version, for a second connection
  // in the same session (the event stream).
  const std::optional<std::string>& session() const;
  const std::string& protocol_version() const;
  const Endpoint& endpoint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pp::client
