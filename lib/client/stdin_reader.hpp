// What arrives on `run`'s stdin, for forwarding to the process (docs/cli.md#run).
//
// Read on a thread of its own with plain blocking read(): that works the same for a
// terminal, a pipe, a file and /dev/null (epoll refuses files), and it never
// switches the descriptor to non-blocking mode, which the shell that started us
// shares. One chunk at a time: after each, the reader waits for more(), so a large
// piped file is read only as fast as it is forwarded, and keys typed meanwhile
// arrive together in the next chunk.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace pp::client {

class StdinReader {
 public:
  // `deliver` runs on `ex`'s thread with each chunk read, then once with none at the
  // end of input (or a read error). On a terminal, where more can follow Ctrl+D,
  // the end of input is an empty chunk instead, and the reader goes on with more().
  using Deliver = std::function<void(std::optional<std::string>)>;
  StdinReader(boost::asio::any_io_executor ex, int fd, Deliver deliver);
  // Nothing is delivered after this. The thread may stay blocked in read() until
  // the process exits; it touches nothing of ours then.
  ~StdinReader();
  StdinReader(const StdinReader&) = delete;
  StdinReader& operator=(const StdinReader&) = delete;

  // Starts reading (once).
  void start();
  // Reads the next chunk.
  void more();

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
  bool started_ = false;
};

}  // namespace pp::client
