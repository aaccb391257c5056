#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <cerrno>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace pp::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;

namespace {

bh::request<bh::string_body> make_request(int port, const std::string& method, const std::string& target,
                                          const std::string& body, const std::map<std::string, std::string>& headers) {
  bh::request<bh::string_body> req{bh::string_to_verb(method), target, 11};
  req.set(bh::field::host, "127.0.0.1:" + std::to_string(port));
  req.set(bh::field::content_type, "application/json");
  req.set(bh::field::accept, "application/json, text/event-stream");
  for (const auto& [k, v] : headers) {
    if (v.empty())
      req.erase(k);
    else
      req.set(k, v);
  }
  req.body() = body;
  req.prepare_payload();
  return req;
}

HttpResult exchange(beast::tcp_stream& stream, beast::flat_buffer& buf, const bh::request<bh::string_body>& req) {
  beast::error_code ec;
  bh::write(stream, req, ec);  // a refused upload may end early; the answer is still there to read
  bh::response<bh::string_body> res;
  bh::read(stream, buf, res, ec);
  HttpResult r;
  if (ec) return r;
  r.status = res.result_int();
  for (const auto& f : res) r.headers[std::string(f.name_string())] = std::string(f.value());
  r.body = res.body();
  return r;
}

asio::ip::tcp::endpoint loopback(int port) {
  return {asio::ip::make_address_v4("127.0.0.1"), static_cast<unsigned short>(port)};
}

}  // namespace

HttpResult http_request(int port, const std::string& method, const std::string& target, const std::string& body,
                        const std::map<std::string, std::string>& headers) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(loopback(port));
  beast::flat_buffer buf;
  return exchange(stream, buf, make_request(port, method, target, body, headers));
}

struct KeepAliveClient::Impl {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buf;
  int port;
};

KeepAliveClient::KeepAliveClient(int port) : impl_(new Impl) {
  impl_->port = port;
  beast::error_code ec;
  impl_->stream.connect(loopback(port), ec);
}

KeepAliveClient::~KeepAliveClient() { delete impl_; }

HttpResult KeepAliveClient::request(const std::string& method, const std::string& target, const std::string& body,
                                    const std::map<std::string, std::string>& headers) {
  return exchange(impl_->stream, impl_->buf, make_request(impl_->port, method, target, body, headers));
}

int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval bound{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string raw_exchange(int port, const std::string& bytes) {
  int fd = connect_loopback(port);
  if (fd < 0) return "";
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
  std::string reply;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return reply;
}

bool closed_by_server(int fd) {
  char buf[256];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
  }
  return n == 0;
}

SseClient::SseClient(int port, const std::map<std::string, std::string>& headers) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval bound{20, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<unsigned short>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
  std::string req = "GET /mcp/ HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nAccept: text/event-stream\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  if (::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    ::close(fd_);
    fd_ = -1;
  }
}

SseClient::~SseClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool SseClient::fill() {
  if (fd_ < 0) return false;
  char chunk[4096];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buf_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

int SseClient::status() {
  while (buf_.find("\r\n\r\n") == std::string::npos)
    if (!fill()) return 0;
  pos_ = buf_.find("\r\n\r\n") + 4;
  return buf_.starts_with("HTTP/1.1 ") ? std::atoi(buf_.c_str() + 9) : 0;
}

std::string SseClient::next_data() {
  // Each event is one chunk, so "data: ...\n\n" is contiguous between chunk-size lines.
  for (;;) {
    auto start = buf_.find("data: ", pos_);
    auto end = start == std::string::npos ? start : buf_.find("\n\n", start);
    if (end != std::string::npos) {
      pos_ = end + 2;
      return buf_.substr(start + 6, end - start - 6);
    }
    if (!fill()) return "";
  }
}

bool SseClient::ends() {
  while (fill()) {
  }
  return errno != EAGAIN && errno != EWOULDBLOCK;
}

std::string http_initialize(int port, const std::string& token) {
  auto r = http_request(port, "POST", "/mcp/",
                        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
                        R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})",
                        {{"Authorization", "Bearer " + token}});
  return r.headers["Mcp-Session-Id"];
}

}  // namespace pp::test
