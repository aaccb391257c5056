// One client's server-to-client channel: the SSE stream opened by a GET on the
// MCP endpoint. The MCP server queues serialized notifications; the HTTP layer
// writes them out as they come.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <deque>
#include <string>

#include "core/event.hpp"

namespace pp::mcp {

struct EventStream {
  // A client that stops reading is cut off rather than buffered without bound.
  static constexpr std::size_t kMaxPending = 1024;

  EventStream(boost::asio::any_io_executor ex, std::string session_id)
      : session(std::move(session_id)), wake(std::move(ex)) {}

  void push(std::string message) {
    if (closed) return;
    if (pending.size() >= kMaxPending) {
      close();
      return;
    }
    pending.push_back(std::move(message));
    wake.notify();
  }
  void close() {
    closed = true;
    wake.notify();
  }

  const std::string session;
  std::deque<std::string> pending;  // JSON-RPC messages, oldest first
  bool closed = false;              // the session ended, or the client fell too far behind
  Pulse wake;
};

}  // namespace pp::mcp
