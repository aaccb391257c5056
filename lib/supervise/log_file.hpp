// An append-only, time-stamped log file plus the small in-memory index that lets
// readers find a line number or a time in it without scanning the whole file.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.hpp"

namespace pp {

// Every kCheckpointBytes of file, the offset, number and stamp of the next line start.
struct Checkpoint {
  std::uint64_t offset;
  std::uint64_t line;
  Millis stamp;
};

struct LogIndex {
  std::vector<Checkpoint> checkpoints;  // ascending; the first is {0, 0, first stamp}
  std::uint64_t lines = 0;              // lines written so far
  std::uint64_t size = 0;               // bytes written so far
};

class LogFile {
 public:
  static constexpr std::uint64_t kCheckpointBytes = 64 * 1024;

  LogFile() = default;
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;
  ~LogFile();

  // Creates (truncates) the file; returns an error message or "".
  std::string open(const std::string& path);
  void close();
  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  const LogIndex& index() const { return index_; }

  // Appends "<stamp> <text>\n". `text` must be valid UTF-8 without newlines.
  void append(Millis stamp, std::string_view text);
  // Sends buffered lines to the file; call after a batch of append().
  void flush();

 private:
  int fd_ = -1;
  std::string path_;
  std::string buf_;
  LogIndex index_;
  std::uint64_t next_checkpoint_ = 0;
};

}  // namespace pp
