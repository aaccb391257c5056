// The HTTP side of Streamable HTTP MCP: accepts on a bound, listening socket and
// runs one coroutine per connection, read-handle-write in a loop.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/respond.hpp"

namespace pp::http {

// Accepts until the acceptor is closed.
boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor, mcp::Server& mcp,
                                         const HttpConfig& config);

}  // namespace pp::http
