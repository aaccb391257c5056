#include "http/respond.hpp"

#include <algorithm>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "core/token.hpp"
#include "http/host_check.hpp"

namespace pp::http {

namespace asio = boost::asio;
namespace bh = boost::beast::http;

Response plain(const Request& req, bh::status status, std::string body, const char* type) {
  Response res{status, req.version()};
  res.set(bh::field::server, "persistproc");
  res.set(bh::field::content_type, type);
  res.body() = std::move(body);
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

namespace {

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

}  // namespace

std::string error_body(const std::string& message) {
  return boost::json::serialize(boost::json::object{{"error", message}});
}

std::optional<Response> refuse_malformed(boost::beast::error_code ec) {
  static const auto& http_errors = bh::make_error_code(bh::error::bad_method).category();
  if (ec.category() != http_errors || ec == bh::error::end_of_stream || ec == bh::error::partial_message)
    return std::nullopt;  // closed, reset or timed out: nobody to answer
  Request req;
  req.version(11);
  Response res = ec == bh::error::header_limit
                     ? plain(req, bh::status::request_header_fields_too_large,
                             error_body("Request header fields too large (16 KiB at most)"))
                     : plain(req, bh::status::bad_request, error_body("Bad Request: malformed HTTP (" + ec.message() + ")"));
  res.keep_alive(false);
  return res;
}

std::string ambiguous_framing(const bh::request_header<>& h) {
  auto te = h.find(bh::field::transfer_encoding);
  if (te == h.end()) return "";
  std::string_view v = te->value();
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (!boost::beast::iequals(v, "chunked")) return "Transfer-Encoding must be exactly chunked";
  if (h.find(bh::field::content_length) != h.end()) return "Transfer-Encoding and Content-Length together";
  return "";
}

asio::awaitable<Response> respond(const Request& req, mcp::Server& mcp, const HttpConfig& config,
                                  Exchange* x) {
  Exchange none;
  if (!x) x = &none;
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
  x->trusted = true;

  std::string_view target = req.target();
  target = target.substr(0, target.find('?'));
  if (target != "/mcp" && target != "/mcp/")
    co_return plain(req, bh::status::not_found, R"({"error":"Not found: the MCP endpoint is /mcp"})");

  mcp::RequestHeaders h{header(req, "Mcp-Session-Id"), header(req, "MCP-Protocol-Version"), x->may_start_session};
  mcp::Reply reply;
  if (req.method() == bh::verb::post) {
    reply = co_await mcp.post(h, req.body());
  } else if (req.method() == bh::verb::delete_) {
    reply = mcp.del(h);
  } else if (req.method() == bh::verb::get && x->can_stream) {
    std::string_view accept = req[bh::field::accept];
    if (!accept.empty() && accept.find("text/event-stream") == std::string_view::npos &&
        accept.find("*/*") == std::string_view::npos)
      co_return plain(req, bh::status::not_acceptable, R"({"error":"GET opens an event stream: Accept text/event-stream"})");
    auto opened = mcp.open_stream(h, co_await asio::this_coro::executor);
    if (opened.stream) {
      x->events = opened.stream;
      Response res{bh::status::ok, req.version()};
      res.set(bh::field::server, "persistproc");
      res.set(bh::field::content_type, "text/event-stream");
      res.set(bh::field::cache_control, "no-cache");
      co_return res;
    }
    reply = opened.reply;
  } else {
    Response res = plain(req, bh::status::method_not_allowed, R"({"error":"Method not allowed"})");
    res.set(bh::field::allow, x->can_stream ? "GET, POST, DELETE" : "POST, DELETE");
    co_return res;
  }
  Response res = plain(req, static_cast<bh::status>(reply.status), std::move(reply.body));
  if (res.body().empty()) res.erase(bh::field::content_type);
  if (reply.session_id) res.set("Mcp-Session-Id", *reply.session_id);
  co_return res;
}

}  // namespace pp::http
