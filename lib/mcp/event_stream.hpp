// One client's server-to-client channel: the SSE stream opened by a GET on the
// MCP endpoint. The MCP server queues serialized notifications; the HTTP layer
// writes them out as they come.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <deque>
#include <memory>
#include <string>

#include "core/event.hpp"

namespace pp::mcp {

struct EventStream {
  // A client that stops reading is cut off rather than buffered without bound.
  static constexpr std::size_t kMaxPending = 1024;

  EventStream(boost::asio::any_io_executor ex, std::string session_id, std::shared_ptr<Pulse> gone)
      : session(std::move(session_id)), wake(std::move(ex)), gone_(std::move(gone)) {}
  ~EventStream() {
    if (gone_) gone_->notify();
  }
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  void push(std::string message) {
    if (closed) return;
    if (pending.size() >= kMaxPending) {
      cut_off = true;
      close();
      return;
    }
    pending.push_back(std::move(message));
    wake.notify();
  }
  // No more messages: the stream ends once those queued are written.
  void close() {
    closed = true;
    wake.notify();
  }

  const std::string session;
  std::deque<std::string> pending;  // JSON-RPC messages, oldest first
  bool closed = false;              // the session or the server is ending
  bool cut_off = false;             // the client fell too far behind: end now, unsent messages dropped
  Pulse wake;

 private:
  std::shared_ptr<Pulse> gone_;  // tells the server a stream has finished
};

}  // namespace pp::mcp
