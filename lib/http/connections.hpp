// The server's open connections, oldest first. At the connection cap the server
// makes room by closing the oldest connection that has not yet completed a
// trusted request (one that passed the Host/Origin checks and the token), so
// idle sockets opened by anyone on the machine cannot lock clients out, while
// authenticated keep-alive clients keep their connections.
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <list>

namespace pp::http {

class Connections {
  struct Entry {
    boost::asio::ip::tcp::socket* socket;
    bool trusted = false;
    bool closing = false;  // evicted: its session ends as soon as it runs again
  };

 public:
  using Handle = std::list<Entry>::iterator;

  // Registers a connection's socket, which must stay valid until remove().
  Handle add(boost::asio::ip::tcp::socket& socket);
  void remove(Handle h);
  void mark_trusted(Handle h) { h->trusted = true; }
  // Connections not being closed.
  std::size_t open() const { return open_; }
  // Closes the oldest untrusted connection (its pending reads fail, so its
  // session ends); false when every open connection is trusted.
  bool evict_oldest_untrusted();

 private:
  std::list<Entry> entries_;  // in accept order
  std::size_t open_ = 0;
};

// Registers a connection for the life of the scope.
class ConnectionGuard {
 public:
  ConnectionGuard(Connections& c, boost::asio::ip::tcp::socket& s) : conns_(c), handle_(c.add(s)) {}
  ~ConnectionGuard() { conns_.remove(handle_); }
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;
  void mark_trusted() { conns_.mark_trusted(handle_); }

 private:
  Connections& conns_;
  Connections::Handle handle_;
};

}  // namespace pp::http
