#include "supervise/http_check.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <algorithm>

namespace pp {

namespace asio = boost::asio;

namespace {
constexpr std::size_t kMaxStatusLine = 4096;  // a status line is short; more is not HTTP
}

int http_status(std::string_view line) {
  if (!line.starts_with("HTTP/")) return -1;
  auto sp = line.find(' ');
  if (sp == std::string_view::npos || line.size() < sp + 4) return -1;
  int code = 0;
  for (std::size_t i = sp + 1; i < sp + 4; ++i) {
    if (line[i] < '0' || line[i] > '9') return -1;
    code = code * 10 + (line[i] - '0');
  }
  if (line.size() > sp + 4 && line[sp + 4] != ' ' && line[sp + 4] != '\r') return -1;
  return code;
}

asio::awaitable<std::string> http_check(asio::any_io_executor ex, HttpCheck check) {
  using asio::ip::tcp;
  auto tuple = asio::as_tuple(asio::use_awaitable);
  tcp::resolver resolver(ex);
  auto [rec, endpoints] = co_await resolver.async_resolve(check.host, std::to_string(check.port), tuple);
  if (rec) co_return "cannot resolve " + check.host + ": " + rec.message();
  tcp::socket socket(ex);
  auto [cec, ep] = co_await asio::async_connect(socket, endpoints, tuple);
  if (cec) co_return "cannot connect to " + check.host + ":" + std::to_string(check.port) + ": " + cec.message();
  std::string request = "GET " + check.path + " HTTP/1.0\r\nHost: " + check.host + ":" + std::to_string(check.port) +
                        "\r\nUser-Agent: persistproc\r\nConnection: close\r\n\r\n";
  auto [wec, written] = co_await asio::async_write(socket, asio::buffer(request), tuple);
  if (wec) co_return "cannot send the request: " + wec.message();
  std::string in;
  auto [rdec, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(in, kMaxStatusLine), "\n", tuple);
  if (rdec) co_return "no status line: " + rdec.message();
  int status = http_status(std::string_view(in).substr(0, n));
  if (status < 0) co_return "not an HTTP status line: " + in.substr(0, std::min<std::size_t>(n, 80));
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  if (status >= 200 && status <= 399) co_return "";
  co_return "status " + std::to_string(status);
}

}  // namespace pp
