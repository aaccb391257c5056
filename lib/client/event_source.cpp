#include "client/event_source.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

namespace pp::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
namespace json = boost::json;

struct EventSource::Impl {
  McpClient session;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  bh::response_parser<bh::buffer_body> parser;
  std::string text;  // received, not yet split into events
  bool ended = false;

  Impl(asio::any_io_executor ex, Endpoint e) : session(ex, std::move(e)), stream(ex) {}

  // One more piece of the body into `text`; false at its end (or on an error).
  asio::awaitable<bool> receive() {
    if (ended || parser.is_done()) co_return false;
    char chunk[16 * 1024];
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof chunk;
    auto [ec, n] = co_await bh::async_read_some(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (ec && ec != bh::error::need_buffer) {
      ended = true;
      co_return false;
    }
    text.append(chunk, sizeof chunk - parser.get().body().size);
    co_return true;
  }

  // The next complete event's JSON-RPC message, if `text` holds one.
  std::optional<json::object> take_event() {
    for (;;) {
      auto end = text.find("\n\n");
      if (end == std::string::npos) return std::nullopt;
      std::string event = text.substr(0, end);
      text.erase(0, end + 2);
      std::string data;
      for (std::size_t p = 0; p < event.size();) {
        auto nl = event.find('\n', p);
        std::string_view line = std::string_view(event).substr(p, nl == std::string::npos ? std::string::npos : nl - p);
        if (line.starts_with("data:")) {
          line.remove_prefix(5);
          if (line.starts_with(' ')) line.remove_prefix(1);
          if (!data.empty()) data.push_back('\n');
          data.append(line);
        }
        if (nl == std::string::npos) break;
        p = nl + 1;
      }
      boost::system::error_code ec;
      json::value v = json::parse(data, ec);
      if (!ec && v.is_object()) return v.as_object();
    }
  }
};

EventSource::EventSource(asio::any_io_executor ex, Endpoint endpoint)
    : impl_(std::make_unique<Impl>(std::move(ex), std::move(endpoint))) {}
EventSource::~EventSource() = default;

asio::awaitable<void> EventSource::open() {
  co_await impl_->session.open();
  const Endpoint& ep = impl_->session.endpoint();
  asio::ip::tcp::endpoint to(asio::ip::make_address_v4("127.0.0.1"), static_cast<unsigned short>(ep.port));
  impl_->stream.expires_after(ep.timeout);
  auto [cec] = co_await impl_->stream.async_connect(to, asio::as_tuple(asio::use_awaitable));
  if (cec) throw NoServer("no persistproc server on port " + std::to_string(ep.port) + " (" + cec.message() + ")");
  bh::request<bh::empty_body> req{bh::verb::get, "/mcp/", 11};
  req.set(bh::field::host, "127.0.0.1:" + std::to_string(ep.port));
  req.set(bh::field::user_agent, "persistproc-cli");
  req.set(bh::field::accept, "text/event-stream");
  if (ep.token) req.set(bh::field::authorization, "Bearer " + *ep.token);
  if (impl_->session.session()) req.set("Mcp-Session-Id", *impl_->session.session());
  req.set("MCP-Protocol-Version", impl_->session.protocol_version());
  auto [wec, wn] = co_await bh::async_write(impl_->stream, req, asio::as_tuple(asio::use_awaitable));
  if (wec) throw ProtocolError("cannot open the event stream: " + wec.message());
  impl_->parser.body_limit(boost::none);  // a stream, not a document
  auto [hec, hn] = co_await bh::async_read_header(impl_->stream, impl_->buffer, impl_->parser,
                                                  asio::as_tuple(asio::use_awaitable));
  if (hec) throw ProtocolError("no answer to the event stream request: " + hec.message());
  int status = impl_->parser.get().result_int();
  if (status == 401) throw Unauthorized("the server refused the token for the event stream");
  if (status != 200) throw ProtocolError("the server refused the event stream (HTTP " + std::to_string(status) + ")");
  impl_->stream.expires_never();  // events come when they come
  // The server's first message on a stream confirms it is registered.
  auto first = co_await next();
  if (!first || first->if_contains("event") == nullptr || first->at("event") != "stream_opened")
    throw ProtocolError("the event stream did not open");
}

asio::awaitable<std::optional<json::object>> EventSource::next() {
  for (;;) {
    if (auto msg = impl_->take_event()) {
      auto* method = msg->if_contains("method");
      auto* params = msg->if_contains("params");
      if (method && *method == "notifications/message" && params && params->is_object()) {
        auto* data = params->as_object().if_contains("data");
        if (data && data->is_object()) co_return data->as_object();
      }
      continue;
    }
    if (!co_await impl_->receive()) co_return std::nullopt;
  }
}

}  // namespace pp::client

namespace pp::client {

asio::awaitable<void> EventSource::close() {
  try {
    co_await impl_->session.close();
  } catch (const std::exception&) {
    // The server may be gone already; the session goes with it.
  }
  beast::error_code ignore;
  impl_->stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignore);
  impl_->stream.close();
}

}  // namespace pp::client
