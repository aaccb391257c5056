// The HTTP side of Streamable HTTP MCP: accepts on a bound, listening socket and
// runs one coroutine per connection, read-handle-write in a loop.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "mcp/server.hpp"

namespace pp::http {

struct Limits {
  std::size_t max_body = 1024 * 1024;              // larger bodies get 413
  std::chrono::seconds read_timeout{30};           // for one request's header and body
  std::chrono::seconds idle_timeout{120};          // between requests on a kept-alive connection
};

// Accepts until the acceptor is closed.
boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor, mcp::Server& mcp, Limits limits);

}  // namespace pp::http
