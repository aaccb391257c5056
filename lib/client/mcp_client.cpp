#include "client/mcp_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace pp::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
using tcp = asio::ip::tcp;

struct McpClient::Impl {
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  Endpoint endpoint;
  int port;
  std::optional<std::string> session;
  std::string protocol_version = "2025-06-18";
  std::int64_t next_id = 1;

  Impl(asio::any_io_executor ex, Endpoint e) : stream(std::move(ex)), endpoint(std::move(e)), port(endpoint.port) {}

  asio::awaitable<bh::response<bh::string_body>> send(bh::verb verb, std::string body) {
    bh::request<bh::string_body> req{verb, "/mcp/", 11};
    req.set(bh::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(bh::field::user_agent, "persistproc-cli");
    req.set(bh::field::accept, "application/json, text/event-stream");
    if (endpoint.token) req.set(bh::field::authorization, "Bearer " + *endpoint.token);
    if (session) {
      req.set("Mcp-Session-Id", *session);
      req.set("MCP-Protocol-Version", protocol_version);
    }
    if (!body.empty()) req.set(bh::field::content_type, "application/json");
    req.body() = std::move(body);
    req.keep_alive(true);
    req.prepare_payload();
    stream.expires_after(endpoint.timeout);
    auto [wec, wn] = co_await bh::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
    if (wec) throw ProtocolError("cannot send request to the server: " + wec.message());
    bh::response_parser<bh::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);  // Beast's 8 MiB default is less than a large `output`
    auto [rec, rn] = co_await bh::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (rec) throw ProtocolError("no answer from the server: " + rec.message());
    bh::response<bh::string_body> res = parser.release();
    if (res.result() == bh::status::unauthorized)
      throw Unauthorized(endpoint.token ? "the server refused the token (PERSISTPROC_TOKEN or <data-dir>/token)"
                                        : "the server requires a token: none found in PERSISTPROC_TOKEN or "
                                          "<data-dir>/token (is --data-dir the server's?)");
    co_return res;
  }

  asio::awaitable<json::value> rpc(const std::string& method, json::object params, bool notification = false) {
    json::object msg{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
    if (!notification) msg["id"] = next_id++;
    auto res = co_await send(bh::verb::post, json::serialize(msg));
    if (notification) co_return json::value();
    boost::system::error_code ec;
    json::value v = json::parse(res.body(), ec);
    if (ec || !v.is_object())
      throw ProtocolError("server answered HTTP " + std::to_string(res.result_int()) + " without JSON-RPC");
    auto& o = v.as_object();
    if (auto* err = o.if_contains("error")) {
      auto* m = err->is_object() ? err->as_object().if_contains("message") : nullptr;
      throw ProtocolError(m && m->is_string() ? std::string(m->as_string()) : json::serialize(*err));
    }
    if (method == "initialize") {
      auto sid = res.find("Mcp-Session-Id");
      if (sid != res.end()) session = std::string(sid->value());
    }
    co_return o["result"];
  }
};

McpClient::McpClient(asio::any_io_executor ex, Endpoint endpoint)
    : impl_(std::make_unique<Impl>(std::move(ex), std::move(endpoint))) {}
McpClient::~McpClient() = default;

asio::awaitable<void> McpClient::open() {
  tcp::endpoint ep(asio::ip::make_address_v4("127.0.0.1"), static_cast<unsigned short>(impl_->port));
  impl_->stream.expires_after(impl_->endpoint.timeout);
  auto [ec] = co_await impl_->stream.async_connect(ep, asio::as_tuple(asio::use_awaitable));
  if (ec) throw NoServer("no persistproc server on port " + std::to_string(impl_->port) + " (" + ec.message() + ")");
  json::object params{{"protocolVersion", impl_->protocol_version},
                      {"capabilities", json::object{}},
                      {"clientInfo", {{"name", "persistproc-cli"}, {"version", "1"}}}};
  json::value init = co_await impl_->rpc("initialize", std::move(params));
  if (auto* v = init.is_object() ? init.as_object().if_contains("protocolVersion") : nullptr; v && v->is_string())
    impl_->protocol_version = std::string(v->as_string());
  json::object no_params;  // a named object: see docs/architecture.md#gcc-12
  co_await impl_->rpc("notifications/initialized", std::move(no_params), true);
}

asio::awaitable<json::object> McpClient::call_tool(const std::string& name, json::object args) {
  json::object params;
  params["name"] = name;
  params["arguments"] = std::move(args);
  json::value r = co_await impl_->rpc("tools/call", std::move(params));
  auto* sc = r.is_object() ? r.as_object().if_contains("structuredContent") : nullptr;
  if (!sc || !sc->is_object()) throw ProtocolError("tool result without structuredContent");
  co_return sc->as_object();
}

const std::optional<std::string>& McpClient::session() const { return impl_->session; }
const std::string& McpClient::protocol_version() const { return impl_->protocol_version; }
const Endpoint& McpClient::endpoint() const { return impl_->endpoint; }

asio::awaitable<void> McpClient::close() {
  if (impl_->session) {
    try {
      co_await impl_->send(bh::verb::delete_, "");
    } catch (const ProtocolError&) {
      // The session ends with the connection anyway.
    }
  }
  beast::error_code ignore;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignore);
  impl_->stream.close();
}

}  // namespace pp::client
