#include "client/stdio_bridge.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <istream>
#include <optional>

#include "core/event.hpp"
#include "core/exit_codes.hpp"
#include "core/posix_io.hpp"

namespace pp::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

void note(const std::string& text) {
  std::string line = "persistproc mcp: " + text + "\n";
  write_all(2, line);
}

// What the bridge needs to know of a message from stdin, from one parse: whether
// it starts the session, and the id an error answer must carry (none for a
// notification, which gets no answer).
struct Peek {
  bool initialize = false;
  std::optional<json::value> id;
};

Peek peek(std::string_view body) {
  Peek p;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return p;
  const auto& o = v.as_object();
  auto* m = o.if_contains("method");
  p.initialize = m && m->is_string() && m->as_string() == "initialize";
  if (auto* id = o.if_contains("id")) p.id = *id;
  return p;
}

// A JSON-RPC error for failures that never reached the MCP layer: no server, a
// refused token, a broken connection. "" for a notification.
std::string error_for(const Peek& p, const std::string& message) {
  if (!p.id) return "";
  return json::serialize(json::object{{"jsonrpc", "2.0"},
                                      {"id", *p.id},
                                      {"error", {{"code", -32000}, {"message", "persistproc server: " + message}}}});
}

class Bridge {
 public:
  Bridge(asio::io_context& ioc, const BridgeOptions& o)
      : ioc_(ioc), o_(o), in_(ioc, ::dup(o.in_fd)), settled_(ioc.get_executor()) {}

  int run() {
    asio::co_spawn(ioc_, read_stdin(), [this](std::exception_ptr e) { failed(e, "reading stdin"); });
    ioc_.run();
    return code_;
  }

 private:
  void failed(std::exception_ptr e, const char* what) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      note(std::string(what) + ": " + ex.what());
    } catch (...) {  // rethrown from a completion handler, it would end the process
      note(std::string(what) + ": an unknown exception");
    }
    code_ = kExitFailed;
    ioc_.stop();
  }

  void emit(const std::string& message) {
    if (message.empty()) return;
    write_all(o_.out_fd, message + "\n");
  }

  bh::request<bh::string_body> request(bh::verb verb, std::string body) const {
    bh::request<bh::string_body> req{verb, "/mcp/", 11};
    req.set(bh::field::host, "127.0.0.1:" + std::to_string(o_.endpoint.port));
    req.set(bh::field::user_agent, "persistproc-mcp-bridge");
    req.set(bh::field::accept, verb == bh::verb::get ? "text/event-stream" : "application/json, text/event-stream");
    if (o_.endpoint.token) req.set(bh::field::authorization, "Bearer " + *o_.endpoint.token);
    if (session_) req.set("Mcp-Session-Id", *session_);
    if (!protocol_.empty()) req.set("MCP-Protocol-Version", protocol_);
    if (!body.empty()) req.set(bh::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
  }

  asio::awaitable<bool> connect(beast::tcp_stream& s) {
    tcp::endpoint to(asio::ip::make_address_v4("127.0.0.1"), static_cast<unsigned short>(o_.endpoint.port));
    auto [ec] = co_await s.async_connect(to, asio::as_tuple(asio::use_awaitable));
    co_return !ec;
  }

  // One message from stdin to the server, its answer to stdout. Each runs on its
  // own connection, so a slow call (a stop waits up to 10 s) holds up no other.
  asio::awaitable<void> forward(std::string body) {
    Peek msg = peek(body);
    beast::tcp_stream s(ioc_);
    if (!co_await connect(s)) {
      emit(error_for(msg, "no server on port " + std::to_string(o_.endpoint.port)));
      co_return;
    }
    bool init = msg.initialize;
    auto req = request(bh::verb::post, body);
    auto [wec, wn] = co_await bh::async_write(s, req, asio::as_tuple(asio::use_awaitable));
    beast::flat_buffer buf;
    bh::response_parser<bh::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    auto [rec, rn] = co_await bh::async_read(s, buf, parser, asio::as_tuple(asio::use_awaitable));
    if (wec || rec) {
      emit(error_for(msg, "no answer (" + (wec ? wec : rec).message() + ")"));
      co_return;
    }
    auto res = parser.release();
    if (res.result() == bh::status::unauthorized) {
      emit(error_for(msg, "the token was refused or is missing (" + res.body() + ")"));
      co_return;
    }
    if (init && res.result() == bh::status::ok) {
      if (auto it = res.find("Mcp-Session-Id"); it != res.end()) session_ = std::string(it->value());
      boost::system::error_code ec;
      json::value v = json::parse(res.body(), ec);
      if (!ec && v.is_object())
        if (auto* r = v.as_object().if_contains("result"); r && r->is_object())
          if (auto* pv = r->as_object().if_contains("protocolVersion"); pv && pv->is_string())
            protocol_ = std::string(pv->as_string());
      if (session_)
        asio::co_spawn(ioc_, forward_events(), [this](std::exception_ptr e) { failed(e, "the event stream"); });
    }
    if (res.body().empty()) co_return;  // 202: a notification or a client's response
    if (res[bh::field::content_type].starts_with("application/json")) {
      emit(res.body());
    } else {
      emit(error_for(msg, "HTTP " + std::to_string(res.result_int()) + ": " + res.body()));
    }
  }

  // The session's notifications, as they come, until the stream ends.
  asio::awaitable<void> forward_events() {
    beast::tcp_stream s(ioc_);
    if (!co_await connect(s)) co_return;
    auto req = request(bh::verb::get, "");
    co_await bh::async_write(s, req, asio::as_tuple(asio::use_awaitable));
    beast::flat_buffer buf;
    bh::response_parser<bh::buffer_body> parser;
    parser.body_limit(boost::none);  // a stream, not a document
    auto [hec, hn] = co_await bh::async_read_header(s, buf, parser, asio::as_tuple(asio::use_awaitable));
    if (hec || parser.get().result() != bh::status::ok) co_return;
    std::string text;
    char chunk[16 * 1024];
    while (!parser.is_done()) {
      parser.get().body().data = chunk;
      parser.get().body().size = sizeof chunk;
      auto [ec, n] = co_await bh::async_read_some(s, buf, parser, asio::as_tuple(asio::use_awaitable));
      if (ec && ec != bh::error::need_buffer) break;
      text.append(chunk, sizeof chunk - parser.get().body().size);
      for (auto end = text.find("\n\n"); end != std::string::npos; end = text.find("\n\n")) {
        std::string_view event(text.data(), end);
        for (std::size_t p = 0; p < event.size();) {
          auto nl = event.find('\n', p);
          std::string_view line = event.substr(p, nl == std::string_view::npos ? std::string_view::npos : nl - p);
          if (line.starts_with("data: ")) emit(std::string(line.substr(6)));
          if (nl == std::string_view::npos) break;
          p = nl + 1;
        }
        text.erase(0, end + 2);
      }
    }
    if (!stdin_ended_) {
      note("the server ended the event stream (it went away, or ended the session)");
      code_ = kExitNoServer;
      ioc_.stop();
    }
  }

  asio::awaitable<void> read_stdin() {
    asio::streambuf buf;
    for (;;) {
      auto [ec, n] = co_await asio::async_read_until(in_, buf, '\n', asio::as_tuple(asio::use_awaitable));
      if (ec && n == 0) break;
      std::string line(static_cast<const char*>(buf.data().data()), n);
      buf.consume(n);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      if (!line.empty()) {
        ++in_flight_;
        asio::co_spawn(ioc_, forward(std::move(line)), [this](std::exception_ptr e) {
          failed(e, "a request");
          if (--in_flight_ == 0) settled_.notify();
        });
      }
      if (ec) break;
    }
    stdin_ended_ = true;
    // Answers still on their way are written before the session ends.
    while (in_flight_ > 0) co_await settled_.wait_until(std::chrono::steady_clock::time_point::max());
    co_await end_session();
  }

  asio::awaitable<void> end_session() {
    if (session_) {
      beast::tcp_stream s(ioc_);
      if (co_await connect(s)) {
        auto req = request(bh::verb::delete_, "");
        co_await bh::async_write(s, req, asio::as_tuple(asio::use_awaitable));
        beast::flat_buffer buf;
        bh::response<bh::string_body> res;
        co_await bh::async_read(s, buf, res, asio::as_tuple(asio::use_awaitable));
      }
    }
    ioc_.stop();
  }

  asio::io_context& ioc_;
  const BridgeOptions& o_;
  asio::posix::stream_descriptor in_;
  std::optional<std::string> session_;
  std::string protocol_;
  bool stdin_ended_ = false;
  int in_flight_ = 0;
  Pulse settled_;  // the last request in flight has been answered
  int code_ = kExitOk;
};

}  // namespace

int run_stdio_bridge(const BridgeOptions& opts) {
  asio::io_context ioc(1);
  Bridge b(ioc, opts);
  return b.run();
}

}  // namespace pp::client
