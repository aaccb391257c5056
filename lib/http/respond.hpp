// One HTTP request in, one response out: the rebinding check, the token, the
// route, then the MCP server. No sockets here, so tests and fuzzers can call it.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/error.hpp>
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

// What a connection tells respond() and learns from it, beyond the request.
struct Exchange {
  bool can_stream = false;  // in: the caller can serve an event stream (GET)
  bool may_start_session = true;  // in: false once this connection started kMaxSessionsPerConnection
  std::shared_ptr<mcp::EventStream> events;  // out: set when a GET opened the session's event stream
  bool trusted = false;  // out: the request passed the Host/Origin checks and the token
};
// More sessions than this from one connection are refused (a client needs one).
inline constexpr int kMaxSessionsPerConnection = 16;

// A GET that opens the session's event stream answers 200 with no body and sets
// `x->events`; the caller then writes the stream's messages as they come. Without
// `x->can_stream`, GET is refused with 405.
boost::asio::awaitable<Response> respond(const Request& req, mcp::Server& mcp, const HttpConfig& config,
                                         Exchange* x = nullptr);

// {"error": message}, for a small JSON error body.
std::string error_body(const std::string& message);

// Answers a request whose header Beast could not parse, or that this server does
// not accept (an ambiguous body length): 400, or 431 for a header too large.
// nullopt when there is nothing to answer (the peer closed or timed out).
std::optional<Response> refuse_malformed(boost::beast::error_code ec);
// A request header that frames its body ambiguously: Transfer-Encoding other than
// exactly `chunked`, or together with Content-Length (request smuggling). The
// reason, or "" when the framing is fine.
std::string ambiguous_framing(const boost::beast::http::request_header<>& h);

// A small JSON response (or `type`) answering `req`.
Response plain(const Request& req, boost::beast::http::status status, std::string body,
               const char* type = "application/json");

}  // namespace pp::http
