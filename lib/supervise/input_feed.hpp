// A managed process's input, from the server's side: the write end of its stdin
// pipe (or its PTY master). The server keeps it open for the life of the process,
// so programs that exit when their input ends (watchers, REPLs) keep running, and
// it never blocks the server: writes are non-blocking, and what the process has not
// taken yet waits here, at most kMaxPending bytes (docs/mcp.md#input).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace pp {

class InputFeed {
 public:
  static constexpr std::size_t kMaxPending = 64 * 1024;

  enum class Result {
    written,      // written now, or queued to be written as the process reads
    ended,        // closed: the process ended or is being stopped
    not_reading,  // kMaxPending bytes already wait; the text (or its rest) was refused
    refused,      // the process closed its input (EPIPE); the feed is closed now
  };

  // Takes over `fd` (may be closed: then every write is `ended`) and makes it
  // non-blocking. `failed` hears of an exception that ended the coroutine writing
  // the queue (logged already).
  explicit InputFeed(boost::asio::posix::stream_descriptor fd,
                     std::function<void(const std::string& failure)> failed = nullptr);
  InputFeed(const InputFeed&) = delete;
  InputFeed& operator=(const InputFeed&) = delete;

  // Writes what the descriptor takes now and queues the rest, unless that would take
  // the queue past kMaxPending: then the part already written stays written and the
  // rest is dropped. The queue is written by a coroutine kept alive by `owner` and
  // named `name` in the server log.
  Result write(std::string_view text, const std::shared_ptr<const void>& owner, const std::string& name);
  // Closes the descriptor (the process sees end of input) and drops the queue.
  void close();
  bool open() const { return fd_.is_open(); }
  std::size_t pending() const { return pending_.size(); }

 private:
  boost::asio::awaitable<void> flush_when_writable();
  // Writes from the front of `bytes` without blocking: bytes taken, or -1 when the reader is gone.
  long write_some(std::string_view bytes);

  boost::asio::posix::stream_descriptor fd_;
  std::function<void(const std::string& failure)> failed_;
  std::string pending_;
  bool flushing_ = false;
};

}  // namespace pp
