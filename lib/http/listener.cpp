#include "http/listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <memory>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/background.hpp"
#include "core/event.hpp"
#include "core/logger.hpp"
#include "http/connections.hpp"

namespace pp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::as_tuple;
using asio::use_awaitable;

namespace {

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

// Writes the SSE stream: the header, then each queued message as one chunked
// event, until the session ends, the client goes away or a write stalls.
asio::awaitable<void> serve_events(beast::tcp_stream& stream, Response head, std::shared_ptr<mcp::EventStream> events,
                                   const HttpConfig& config) {
  head.chunked(true);
  bh::response_serializer<bh::string_body> sr(head);
  stream.expires_after(config.body_timeout);
  auto [hec, hn] = co_await bh::async_write_header(stream, sr, as_tuple(use_awaitable));
  stream.expires_never();
  if (hec) co_return;
  // The client sends nothing on this connection; a read completing means it left.
  auto reader_done = std::make_shared<Event>(stream.get_executor());
  run_in_background(
      stream.get_executor(),
      [](beast::tcp_stream& s, std::shared_ptr<mcp::EventStream> ev,
         std::shared_ptr<Event> done) -> asio::awaitable<void> {
        char byte;
        co_await s.async_read_some(asio::buffer(&byte, 1), as_tuple(use_awaitable));
        done->set();
        ev->wake.notify();
      }(stream, events, reader_done),
      "reading an event stream's connection");
  // A closed stream still writes what was queued (the exits of a shutdown); one
  // cut off, or whose client left, writes nothing more.
  while (!events->cut_off && !reader_done->is_set() && !(events->closed && events->pending.empty())) {
    while (!events->pending.empty() && !events->cut_off) {
      std::string frame = "event: message\ndata: " + events->pending.front() + "\n\n";
      events->pending.pop_front();
      stream.expires_after(config.body_timeout);
      auto [wec, wn] = co_await asio::async_write(stream, bh::make_chunk(asio::buffer(frame)), as_tuple(use_awaitable));
      stream.expires_never();
      if (wec) events->cut_off = true;
    }
    if (!events->closed && !events->cut_off && !reader_done->is_set())
      co_await events->wake.wait_until(std::chrono::steady_clock::time_point::max());
  }
  if (!reader_done->is_set()) {
    stream.expires_after(std::chrono::seconds(2));  // a client that stopped reading gets no more time
    co_await asio::async_write(stream, bh::make_chunk_last(), as_tuple(use_awaitable));
    beast::error_code ignore;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignore);
    stream.socket().cancel(ignore);
    co_await reader_done->wait();
  }
}

// Writes a refusal that ends the connection, then drains what the peer still sends.
asio::awaitable<void> refuse_and_close(beast::tcp_stream& stream, Response res, const HttpConfig& config) {
  res.keep_alive(false);
  stream.expires_after(config.body_timeout);
  co_await bh::async_write(stream, res, as_tuple(use_awaitable));
  co_await linger(stream);
}

asio::awaitable<void> session(tcp::socket socket, mcp::Server& mcp, const HttpConfig& config,
                              std::shared_ptr<Connections> conns) {
  beast::tcp_stream stream(std::move(socket));
  ConnectionGuard registered(*conns, stream.socket());
  beast::flat_buffer buffer;
  bool first = true;
  int sessions_started = 0;
  for (;;) {
    bh::request_parser<bh::string_body> parser;
    parser.body_limit(config.max_body);
    parser.header_limit(16 * 1024);
    // Slow or silent peers are cut off: a header must arrive in time, then its body.
    stream.expires_after(first ? config.header_timeout : config.idle_timeout);
    first = false;
    auto [hec, hn] = co_await bh::async_read_header(stream, buffer, parser, as_tuple(use_awaitable));
    beast::error_code ec = hec;  // body_limit here: Content-Length alone was too large
    if (!ec) {
      if (std::string why = ambiguous_framing(parser.get()); !why.empty()) {
        Request req;
        req.version(11);
        co_return co_await refuse_and_close(stream, plain(req, bh::status::bad_request, error_body("Bad Request: " + why)),
                                            config);
      }
    }
    if (!ec && !parser.is_done()) {
      stream.expires_after(config.body_timeout);
      auto [bec, bn] = co_await bh::async_read(stream, buffer, parser, as_tuple(use_awaitable));
      ec = bec;  // body_limit here: a chunked body grew too large, detected while reading
    }
    if (ec == bh::error::body_limit) {
      Request req;
      req.version(11);
      co_return co_await refuse_and_close(
          stream, plain(req, bh::status::payload_too_large, R"({"error":"Request body larger than 1 MiB"})"), config);
    }
    if (ec) {
      // Malformed: a short answer saying why, as Beast's examples do; closed or timed out: nothing.
      if (auto res = refuse_malformed(ec)) co_await refuse_and_close(stream, std::move(*res), config);
      break;
    }
    Request req = parser.release();
    stream.expires_never();  // a tool call may legitimately take a while (stop waits up to 10 s)
    Exchange x;
    x.can_stream = true;
    x.may_start_session = sessions_started < kMaxSessionsPerConnection;
    Response res = co_await respond(req, mcp, config, &x);
    if (x.trusted) registered.mark_trusted();
    if (res.find("Mcp-Session-Id") != res.end()) ++sessions_started;
    if (x.events) {
      co_await serve_events(stream, std::move(res), x.events, config);
      break;
    }
    bool keep = res.keep_alive();
    stream.expires_after(config.body_timeout);
    auto [wec, wn] = co_await bh::async_write(stream, res, as_tuple(use_awaitable));
    if (wec || !keep) break;
  }
  beast::error_code ignore;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignore);
}

// Past the connection cap with every connection trusted: a short 503 instead of
// leaving the peer in the backlog.
asio::awaitable<void> refuse(tcp::socket socket, const HttpConfig& config) {
  beast::tcp_stream stream(std::move(socket));
  Request req;
  req.version(11);
  co_await refuse_and_close(stream, plain(req, bh::status::service_unavailable, R"({"error":"Too many connections"})"),
                            config);
}

}  // namespace

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, mcp::Server& mcp, const HttpConfig& config) {
  // Shared with the sessions, which may outlive this loop (at shutdown).
  auto conns = std::make_shared<Connections>();
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
    if (conns->open() >= config.max_connections && !conns->evict_oldest_untrusted()) {
      run_in_background(acceptor.get_executor(), refuse(std::move(socket), config), "refusing a connection");
      continue;
    }
    run_in_background(acceptor.get_executor(), session(std::move(socket), mcp, config, conns), "an HTTP connection");
  }
}

}  // namespace pp::http
