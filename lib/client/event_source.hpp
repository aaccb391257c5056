// The client side of the server's event stream: an MCP session plus a GET on the
// endpoint held open, read as Server-Sent Events as they arrive.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <optional>

#include "client/mcp_client.hpp"

namespace pp::client {

class EventSource {
 public:
  EventSource(boost::asio::any_io_executor ex, Endpoint endpoint);
  ~EventSource();

  // Opens a session and its stream, and returns once the server's first message
  // says the stream is in place: every later event will arrive. Throws NoServer,
  // Unauthorized or ProtocolError like McpClient.
  boost::asio::awaitable<void> open();

  // The `data` of the next notifications/message, or nullopt once the stream ended
  // (the server went away, or ended the session).
  boost::asio::awaitable<std::optional<boost::json::object>> next();

  // Ends the session (DELETE, which also ends the stream) and closes both connections.
  boost::asio::awaitable<void> close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pp::client
