#include "supervise/log_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/log_paths.hpp"
#include "core/posix_io.hpp"

namespace pp {

namespace {
// Buffered lines are written when a batch ends, or before this much would be
// waiting: writes of about a megabyte cost the kernel less per byte than small
// ones (large page-cache folios), and no buffer grows past it (one 1 MiB read
// of empty lines would make 26 MiB of stamped lines).
constexpr std::size_t kWriteBytes = 1024 * 1024;
// A buffer that grew past this for a flood gives its memory back after the
// first small write: a file's buffer is empty between batches.
constexpr std::size_t kKeepCapacity = 64 * 1024;

// Room for `more` bytes in `buf`: it doubles as a string does, but stops at
// kWriteBytes (std::string::reserve would double past it).
void make_room(std::string& buf, std::size_t more) {
  std::size_t need = buf.size() + more;
  if (need <= buf.capacity()) return;
  std::string bigger;
  bigger.reserve(std::max(need, std::min(2 * buf.capacity(), kWriteBytes)));
  bigger.append(buf);
  buf.swap(bigger);
}
}  // namespace

LogFile::~LogFile() { close(); }

std::string LogFile::open(const std::string& path) {
  close();
  if (std::string err = file_.open(path); !err.empty()) return err;
  index_ = {};
  backup_ = {};
  has_backup_ = false;
  next_checkpoint_ = 0;
  rotations_ = 0;
  lost_ = reopened_ = 0;
  failing_ = false;
  return "";
}

void LogFile::close() {
  if (!file_.is_open()) return;
  flush();
  file_.close();
}

void LogFile::append(Millis stamp, std::string_view text) {
  if (!file_.is_open()) return;  // closed: the index must keep describing the file exactly
  // The line's size as written: a newline inside the text becomes the two characters \n.
  bool has_newline = text.find('\n') != std::string_view::npos;
  std::uint64_t line_size = kStampLen + 1 + text.size() + 1 +
                            (has_newline ? static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n')) : 0);
  if (!buf_.empty() && buf_.size() + line_size > kWriteBytes) flush();
  make_room(buf_, line_size);
  std::uint64_t offset = index_.size + buf_.size();
  // Only a file that already holds a line rotates, so an oversized line (or a cap of
  // 0) still lands in a file, once.
  if (offset > 0 && line_size > max_size_ - std::min(offset, max_size_)) {
    rotate();
    offset = index_.size + buf_.size();
  }
  if (offset >= next_checkpoint_) {
    index_.checkpoints.push_back({offset, index_.lines, stamp});
    next_checkpoint_ = offset + kCheckpointBytes;
  }
  if (stamp != cached_stamp_) {
    cached_text_ = format_iso_ms(stamp) + ' ';
    cached_stamp_ = stamp;
  }
  buf_ += cached_text_;
  // One record per line, always: a newline inside the text (a command line or an
  // error message can hold one) is written as the two characters \n.
  if (!has_newline) {
    buf_.append(text);
  } else {
    for (char c : text) {
      if (c == '\n')
        buf_ += "\\n";
      else
        buf_.push_back(c);
    }
  }
  buf_.push_back('\n');
  ++index_.lines;
}

void LogFile::rotate() {
  flush();  // the backup must be complete: a follower reads it to its end, then moves on
  switch (file_.rotate()) {
    case LogTarget::Rotation::kept: return;
    case LogTarget::Rotation::kept_backup_lost: has_backup_ = false; return;
    case LogTarget::Rotation::fresh_with_backup:
      backup_ = std::move(index_);
      has_backup_ = true;
      break;
    case LogTarget::Rotation::fresh_without_backup: has_backup_ = false; break;
  }
  start_fresh();
  ++rotations_;
}

void LogFile::start_fresh() {
  index_ = {};
  next_checkpoint_ = 0;
}

void LogFile::flush() {
  if (buf_.empty()) return;
  if (file_.unlinked() && file_.reopen()) {
    // Deleted under us (its directory removed, say): the buffered lines start a new
    // file, whose index begins with them.
    auto buffered = static_cast<std::uint64_t>(std::count(buf_.begin(), buf_.end(), '\n'));
    start_fresh();
    index_.checkpoints.push_back({0, 0, parse_line_stamp(buf_).value_or(0)});
    index_.lines = buffered;
    next_checkpoint_ = kCheckpointBytes;
    has_backup_ = false;
    ++reopened_;
  }
  std::size_t done = file_.write(buf_);
  failing_ = done < buf_.size();
  if (!failing_) {
    index_.size += done;
    if (done < kKeepCapacity && buf_.capacity() > kKeepCapacity)
      std::string().swap(buf_);
    else
      buf_.clear();
    return;
  }
  // A full disk: keep the whole lines that made it, take back the start of the one
  // cut off (else the next write would glue a later line to it), and drop the rest.
  std::size_t whole = done == 0 ? 0 : buf_.rfind('\n', done - 1) + 1;  // (npos + 1 == 0)
  if (whole < done && !file_.truncate(index_.size + whole)) whole = done;  // cannot: the part stays
  auto dropped = static_cast<std::uint64_t>(std::count(buf_.begin() + static_cast<std::ptrdiff_t>(whole), buf_.end(), '\n'));
  index_.size += whole;
  index_.lines -= dropped;
  lost_ += dropped;
  while (!index_.checkpoints.empty() && index_.checkpoints.back().offset >= index_.size) index_.checkpoints.pop_back();
  next_checkpoint_ = index_.checkpoints.empty() ? 0 : index_.checkpoints.back().offset + kCheckpointBytes;
  buf_.clear();
}

}  // namespace pp
