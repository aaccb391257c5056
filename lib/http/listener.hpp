// The HTTP side of Streamable HTTP MCP: accepts on a bound, listening socket and
// runs one coroutine per connection, read-handle-write in a loop.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>

#include "mcp/server.hpp"

namespace pp::http {

struct HttpConfig {
  std::size_t max_body = 1024 * 1024;                // larger bodies get 413
  std::chrono::seconds header_timeout{10};           // a new connection's first request header
  std::chrono::seconds body_timeout{30};             // a request body, and writing the answer
  std::chrono::seconds idle_timeout{120};            // between requests on a kept-alive connection
  std::size_t max_connections = 512;                 // beyond this, new connections get 503
  std::optional<std::string> token;                  // required bearer token; none = auth off
};

// Accepts until the acceptor is closed.
boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor, mcp::Server& mcp,
                                         const HttpConfig& config);

}  // namespace pp::http
