// One HTTP request in, one response out: the rebinding check, the token, the
// route, then the MCP server. No sockets here, so tests and fuzzers can call it.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>

#include "mcp/server.hpp"

namespace pp::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct HttpConfig {
  std::size_t max_body = 1024 * 1024;                // larger bodies get 413
  std::chrono::seconds header_timeout{10};           // a new connection's first request header
  std::chrono::seconds body_timeout{30};             // a request body, and writing the answer
  std::chrono::seconds idle_timeout{120};            // between requests on a kept-alive connection
  std::size_t max_connections = 512;                 // beyond this, new connections get 503
  std::optional<std::string> token;                  // required bearer token; none = auth off
};

// A GET that opens the session's event stream answers 200 with no body and sets
// `*stream`; the caller then writes the stream's messages as they come. Without
// `stream`, GET is refused with 405.
boost::asio::awaitable<Response> respond(const Request& req, mcp::Server& mcp, const HttpConfig& config,
                                         std::shared_ptr<mcp::EventStream>* stream = nullptr);

// A small JSON response (or `type`) answering `req`.
Response plain(const Request& req, boost::beast::http::status status, std::string body,
               const char* type = "application/json");

}  // namespace pp::http
