// Follows a growing log file: a file watch (os/file_watch.hpp) says "it changed",
// then we read what was appended. No timers, no polling. Follows the log across
// rotations too: the old file (renamed to `.1`) is read to its end, then the new one.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "os/file_watch.hpp"

namespace pp::client {

class LogFollower {
 public:
  explicit LogFollower(const boost::asio::any_io_executor& ex);
  ~LogFollower();

  // Follows `path` from its start (its `.1` backup first, when there is one) or from
  // its current end; "" or an error message. The watches are in place before the
  // starting offset is taken, so nothing written in between is missed. From the end,
  // a line caught halfway is skipped, unless the file is read as bytes (`bytes`):
  // a `.tty` log has no lines to keep whole.
  std::string follow(const std::string& path, bool from_end, bool bytes = false);
  struct Line {
    std::string text;   // without its '\n'
    std::uint64_t end;  // position just past the line (see position())
  };
  // Whole lines appended since the last call, across any rotations since then.
  std::vector<Line> read_lines();
  // Everything appended since the last call, across rotations, as it was written.
  std::string read_bytes();
  // How far the log has been read: a byte count over the backup and the current file
  // as they were at follow(), growing across later rotations.
  std::uint64_t position() const { return base_ + offset_; }
  // Returns once the log may have grown or rotated (or the watch went away).
  boost::asio::awaitable<void> changed();

 private:
  // Reads to the end of the current file and of the ones after it, handing each
  // chunk read and its position to `take`.
  template <class Take>
  void read_all(Take take);
  void split_lines(std::string_view data, std::uint64_t at, std::vector<Line>& lines);
  // The path now names another file than the one we read (or none).
  bool rotated_away() const;
  // Moves on to the file that follows ours; false when it does not exist yet.
  bool open_next();
  void close_file();

  os::FileWatch watch_;
  std::string path_;
  std::string name_;  // the file name inside its directory
  int fd_ = -1;
  std::uint64_t base_ = 0;    // bytes of the files read before this one
  std::uint64_t offset_ = 0;  // read this far into the current file
  std::string partial_;
  bool skip_first_ = false;  // attached mid-line: drop the fragment before the first '\n'
};

}  // namespace pp::client
