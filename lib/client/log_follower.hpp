// Follows a growing log file: inotify on an Asio descriptor says "it changed",
// then we read what was appended. No timers, no polling.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace pp::client {

class LogFollower {
 public:
  explicit LogFollower(const boost::asio::any_io_executor& ex);
  ~LogFollower();

  // Follows `path` from its start or from its current end; "" or an error message.
  // The watch is in place before the starting offset is taken, so nothing written
  // in between is missed.
  std::string follow(const std::string& path, bool from_end);
  struct Line {
    std::string text;   // without its '\n'
    std::uint64_t end;  // file offset just past the line
  };
  // Whole lines appended since the last call.
  std::vector<Line> read_lines();
  // Offset up to which the file has been read.
  std::uint64_t position() const { return offset_; }
  // Returns once the file may have grown (or the watch went away).
  boost::asio::awaitable<void> changed();

 private:
  boost::asio::posix::stream_descriptor inotify_;
  int watch_ = -1;
  int fd_ = -1;
  std::uint64_t offset_ = 0;
  std::string partial_;
  bool skip_first_ = false;  // attached mid-line: drop the fragment before the first '\n'
};

}  // namespace pp::client
