// An append-only, time-stamped log file plus the small in-memory index that lets
// readers find a line number or a time in it without scanning the whole file.
// Past a size cap the file rotates to one `.1` backup, always between two lines.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/timestamp.hpp"
#include "supervise/log_target.hpp"

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
  static constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

  LogFile() = default;
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;
  ~LogFile();

  // Creates the file (which must not exist); returns an error message or "".
  std::string open(const std::string& path);
  void close();
  bool is_open() const { return file_.is_open(); }
  const std::string& path() const { return file_.path(); }
  const LogIndex& index() const { return index_; }
  // The index of the `.1` backup, when this writer made one (else null).
  const LogIndex* backup_index() const { return has_backup_ ? &backup_ : nullptr; }

  // When appending a line would take the file past `bytes`, the file is first renamed
  // to `<path>.1` (replacing an older backup) and a fresh one is started. A line larger
  // than the cap goes into a file of its own; a cap of 0 gives each line its own file.
  void set_max_size(std::uint64_t bytes) { max_size_ = bytes; }
  std::uint64_t max_size() const { return max_size_; }
  // How many times the file has rotated since open().
  std::uint64_t rotations() const { return rotations_; }

  // Appends "<stamp> <text>\n". `text` must be valid UTF-8; a newline in it is
  // written as the two characters \n (one record per line, always).
  void append(Millis stamp, std::string_view text);
  // The same for `text` known to hold no newline (a line as LineSplitter cut it),
  // without looking for one: an output flood is millions of these.
  void append_line(Millis stamp, std::string_view text) { put(stamp, text, 0); }
  // Sends buffered lines to the file; call after a batch of append(). Whole lines
  // only: when the disk is full, the lines that did not fit are dropped (the part
  // of one cut off is taken back), counted in lost(), and the index describes
  // exactly what is on disk. A file deleted under us is replaced by a new one.
  void flush();

  // Lines dropped since the last take_lost(), and why the last was.
  std::uint64_t lost() const { return lost_; }
  std::uint64_t take_lost() { return std::exchange(lost_, 0); }
  const std::string& error() const { return file_.error(); }
  // The last flush could not write everything.
  bool failing() const { return failing_; }
  // How many times the file was found deleted and replaced since open().
  std::uint64_t reopened() const { return reopened_; }

 private:
  // Flushes, moves the file to its backup and opens a fresh one; on failure the
  // current file stays in use (nothing is lost, the cap is only exceeded).
  void rotate();
  // Forgets the index: the file in use is a new, empty one.
  void start_fresh();
  // Appends the line whose text holds `newlines` newlines.
  void put(Millis stamp, std::string_view text, std::size_t newlines);
  // Room in buf_ for `more` bytes after the used_ ones.
  void make_room(std::size_t more);
  std::string_view buffered() const { return {buf_.data(), used_}; }

  LogTarget file_;
  // Its first used_ bytes are lines waiting for flush(); the rest is room, so a
  // line is copied in with no bookkeeping of the string's own per piece.
  std::string buf_;
  std::size_t used_ = 0;
  LogIndex index_;
  LogIndex backup_;
  bool has_backup_ = false;
  std::uint64_t next_checkpoint_ = 0;
  std::uint64_t max_size_ = kNoLimit;
  std::uint64_t rotations_ = 0;
  std::uint64_t lost_ = 0;
  std::uint64_t reopened_ = 0;
  bool failing_ = false;
  // The last stamp formatted: a chunk of output is many lines with one stamp, and
  // formatting it (gmtime + printf) cost more than all the rest of a line's writing.
  Millis cached_stamp_ = std::numeric_limits<Millis>::min();
  char cached_text_[kStampLen + 1] = {};  // "<stamp> "
};

}  // namespace pp
