#include "http/listener.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <cctype>
#include <memory>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/logger.hpp"
#include "core/token.hpp"
#include "http/host_check.hpp"

namespace pp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::as_tuple;
using asio::use_awaitable;

namespace {

using Request = bh::request<bh::string_body>;
using Response = bh::response<bh::string_body>;

Response plain(const Request& req, bh::status status, std::string body, const char* type = "application/json") {
  Response res{status, req.version()};
  res.set(bh::field::server, "persistproc");
  res.set(bh::field::content_type, type);
  res.body() = std::move(body);
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

std::optional<std::string> header(const Request& req, std::string_view name) {
  auto it = req.find(name);
  if (it == req.end()) return std::nullopt;
  return std::string(it->value());
}

bool authorized(const Request& req, const HttpConfig& config) {
  if (!config.token) return true;
  std::string_view auth = req[bh::field::authorization];
  constexpr std::string_view scheme = "Bearer ";
  if (auth.size() < scheme.size() || !std::equal(scheme.begin(), scheme.end(), auth.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      }))
    return false;
  return constant_time_equal(auth.substr(scheme.size()), *config.token);
}

asio::awaitable<Response> handle(const Request& req, mcp::Server& mcp, const HttpConfig& config) {
  // Rebinding defence first, then the token, before any JSON is read.
  if (!is_loopback_host(req[bh::field::host]))
    co_return plain(req, bh::status::forbidden, R"({"error":"Forbidden: Host must be a loopback name"})");
  if (auto origin = header(req, "Origin"); origin && !is_loopback_origin(*origin))
    co_return plain(req, bh::status::forbidden, R"({"error":"Forbidden: Origin must be a loopback origin"})");
  if (!authorized(req, config)) {
    Response res = plain(req, bh::status::unauthorized,
                         R"j({"error":"Unauthorized: send Authorization: Bearer <token> (the token is in the data directory)"})j");
    res.set(bh::field::www_authenticate, "Bearer");
    co_return res;
  }

  std::string_view target = req.target();
  target = target.substr(0, target.find('?'));
  if (target != "/mcp" && target != "/mcp/")
    co_return plain(req, bh::status::not_found, R"({"error":"Not found: the MCP endpoint is /mcp"})");

  mcp::RequestHeaders h{header(req, "Mcp-Session-Id"), header(req, "MCP-Protocol-Version")};
  mcp::Reply reply;
  if (req.method() == bh::verb::post) {
    reply = co_await mcp.post(h, req.body());
  } else if (req.method() == bh::verb::delete_) {
    reply = mcp.del(h);
  } else {
    Response res = plain(req, bh::status::method_not_allowed, R"({"error":"Method not allowed"})");
    res.set(bh::field::allow, "POST, DELETE");
    co_return res;
  }
  Response res = plain(req, static_cast<bh::status>(reply.status), std::move(reply.body));
  if (res.body().empty()) res.erase(bh::field::content_type);
  if (reply.session_id) res.set("Mcp-Session-Id", *reply.session_id);
  co_return res;
}

// After refusing a request whose body is still arriving: stop sending, then read
// and drop what the client sends (bounded in bytes and time) before closing, so
// the client's write completes and it reads our answer instead of a reset.
asio::awaitable<void> linger(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(std::chrono::seconds(2));
  static char sink[16 * 1024];
  std::size_t dropped = 0;
  while (dropped < 8 * 1024 * 1024) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
    if (rec) break;
    dropped += n;
  }
}

asio::awaitable<void> session(tcp::socket socket, mcp::Server& mcp, const HttpConfig& config) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  bool first = true;
  for (;;) {
    bh::request_parser<bh::string_body> parser;
    parser.body_limit(config.max_body);
    parser.header_limit(16 * 1024);
    // Slow or silent peers are cut off: a header must arrive in time, then its body.
    stream.expires_after(first ? config.header_timeout : config.idle_timeout);
    first = false;
    auto [hec, hn] = co_await bh::async_read_header(stream, buffer, parser, as_tuple(use_awaitable));
    beast::error_code ec = hec;  // body_limit here: Content-Length alone was too large
    if (!ec && !parser.is_done()) {
      stream.expires_after(config.body_timeout);
      auto [bec, bn] = co_await bh::async_read(stream, buffer, parser, as_tuple(use_awaitable));
      ec = bec;  // body_limit here: a chunked body grew too large, detected while reading
    }
    if (ec == bh::error::body_limit) {
      Request req;
      req.version(11);
      Response res = plain(req, bh::status::payload_too_large, R"({"error":"Request body larger than 1 MiB"})");
      res.keep_alive(false);
      stream.expires_after(config.body_timeout);
      co_await bh::async_write(stream, res, as_tuple(use_awaitable));
      co_await linger(stream);
      co_return;
    }
    if (ec) break;  // closed, timed out or malformed: nothing useful to answer
    Request req = parser.release();
    stream.expires_never();  // a tool call may legitimately take a while (stop waits up to 10 s)
    Response res = co_await handle(req, mcp, config);
    bool keep = res.keep_alive();
    stream.expires_after(config.body_timeout);
    auto [wec, wn] = co_await bh::async_write(stream, res, as_tuple(use_awaitable));
    if (wec || !keep) break;
  }
  beast::error_code ignore;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignore);
}

// Past the connection cap: a short 503 instead of leaving the peer in the backlog.
asio::awaitable<void> refuse(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(std::chrono::seconds(2));
  Request req;
  req.version(11);
  Response res = plain(req, bh::status::service_unavailable, R"({"error":"Too many connections"})");
  res.keep_alive(false);
  co_await bh::async_write(stream, res, as_tuple(use_awaitable));
  co_await linger(stream);
}

}  // namespace

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, mcp::Server& mcp, const HttpConfig& config) {
  auto open = std::make_shared<std::size_t>(0);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(as_tuple(use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors or similar: back off briefly instead of spinning on the error.
      logger::warning("accept failed: " + ec.message());
      asio::steady_timer backoff(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await backoff.async_wait(as_tuple(use_awaitable));
      continue;
    }
    if (*open >= config.max_connections) {
      asio::co_spawn(acceptor.get_executor(), refuse(std::move(socket)), asio::detached);
      continue;
    }
    ++*open;
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), mcp, config),
                   [open](std::exception_ptr) { --*open; });
  }
}

}  // namespace pp::http
