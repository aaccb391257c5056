#include "list/answer_floor.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace pp::bench {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string reply(std::string_view status, std::string_view extra_headers, std::string_view body) {
  return "HTTP/1.1 " + std::string(status) + "\r\nContent-Type: application/json\r\n" + std::string(extra_headers) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

struct Replies {
  std::string list, initialize, accepted, deleted;
};

std::size_t content_length(std::string_view head) {
  std::string lower(head);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  auto at = lower.find("\r\ncontent-length:");
  return at == std::string::npos ? 0 : std::strtoul(lower.c_str() + at + 17, nullptr, 10);
}

asio::awaitable<void> serve(tcp::socket s, std::shared_ptr<const Replies> r) {
  std::string buf;
  try {
    for (;;) {
      std::size_t head = co_await asio::async_read_until(s, asio::dynamic_buffer(buf), "\r\n\r\n", asio::use_awaitable);
      std::size_t whole = head + content_length(std::string_view(buf).substr(0, head));
      if (buf.size() < whole)
        co_await asio::async_read(s, asio::dynamic_buffer(buf), asio::transfer_exactly(whole - buf.size()),
                                  asio::use_awaitable);
      std::string_view body = std::string_view(buf).substr(head, whole - head);
      const std::string* out = &r->list;
      if (buf.starts_with("DELETE"))
        out = &r->deleted;
      else if (body.find(R"("method":"initialize")") != std::string_view::npos)
        out = &r->initialize;
      else if (body.find(R"("id":)") == std::string_view::npos)
        out = &r->accepted;
      co_await asio::async_write(s, asio::buffer(*out), asio::use_awaitable);
      buf.erase(0, whole);
    }
  } catch (const std::exception&) {
    // The client closed its session.
  }
}

asio::awaitable<void> accept_all(tcp::acceptor& a, std::shared_ptr<const Replies> r) {
  for (;;) {
    tcp::socket s = co_await a.async_accept(asio::use_awaitable);
    asio::co_spawn(a.get_executor(), serve(std::move(s), r), asio::detached);
  }
}

}  // namespace

AnswerFloor::AnswerFloor(const std::string& answer) {
  auto r = std::make_shared<Replies>();
  r->list = reply("200 OK", "", answer);
  r->initialize = reply("200 OK", "Mcp-Session-Id: floor\r\n",
                        R"({"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":)"
                        R"({"tools":{}},"serverInfo":{"name":"floor","version":"1"}}})");
  r->accepted = reply("202 Accepted", "", "");
  r->deleted = reply("200 OK", "", "");
  int ports[2];
  if (::pipe(ports) != 0) throw std::runtime_error("pipe");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) {
    // The child never returns into the caller's code, not even by an exception.
    try {
      ::close(ports[0]);
      asio::io_context ioc(1);
      tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
      int port = a.local_endpoint().port();
      if (::write(ports[1], &port, sizeof port) != sizeof port) ::_exit(1);
      ::close(ports[1]);
      asio::co_spawn(ioc, accept_all(a, r), asio::detached);
      ioc.run();
    } catch (...) {
      ::_exit(1);  // the parent reads no port and says so
    }
    ::_exit(0);
  }
  ::close(ports[1]);
  bool told = ::read(ports[0], &port_, sizeof port_) == sizeof port_;  // the child is listening
  ::close(ports[0]);
  if (!told) throw std::runtime_error("the floor server did not start");
}

AnswerFloor::~AnswerFloor() {
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

}  // namespace pp::bench
