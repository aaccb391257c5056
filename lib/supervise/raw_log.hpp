// The `.tty` log of a process on a pseudo-terminal (docs/logs.md#files): the bytes
// as read from the terminal, colours and all, without stamps, for `output raw` and
// for replaying a terminal. Past the size cap it rotates to one `.1` backup like
// the other logs, between two reads (a sequence may be cut in two).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "supervise/log_file.hpp"
#include "supervise/log_reader.hpp"

namespace pp {

class RawLog {
 public:
  RawLog() = default;
  RawLog(const RawLog&) = delete;
  RawLog& operator=(const RawLog&) = delete;
  ~RawLog() { close(); }

  // Creates (truncates) the file and removes an old backup; an error message or "".
  std::string open(const std::string& path);
  void close();
  bool is_open() const { return file_.is_open(); }
  void set_max_size(std::uint64_t bytes) { max_size_ = bytes; }

  // Buffers `bytes`; flush() writes them.
  void append(std::string_view bytes);
  void flush();

 private:
  void rotate();

  LogTarget file_;
  std::string buf_;
  std::uint64_t size_ = 0;
  std::uint64_t max_size_ = LogFile::kNoLimit;
};

// `output raw`: the last `lines` lines of a `.tty` file as text (invalid UTF-8
// repaired, escape sequences kept), from at most its last kRawTailBytes. The file
// has no stamps, so lines_before counts only the lines of that tail before them;
// lines_after is 0.
constexpr std::uint64_t kRawTailBytes = 4 * 1024 * 1024;
ReadResult read_raw_tail(const std::string& path, std::uint64_t lines);

}  // namespace pp
