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

}  // namespace

// It doubles as a string does, but stops at kWriteBytes (std::string::reserve
// would double past it).
void LogFile::make_room(std::size_t more) {
  std::size_t need = used_ + more;
  if (need <= buf_.size()) return;
  std::string bigger(std::max({need, std::min(2 * buf_.size(), kWriteBytes), std::size_t{16}}), '\0');
  std::memcpy(bigger.data(), buf_.data(), used_);
  buf_.swap(bigger);
}

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
  put(stamp, text, static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
}

void LogFile::put(Millis stamp, std::string_view text, std::size_t newlines) {
  if (!file_.is_open()) return;  // closed: the index must keep describing the file exactly
  // The line's size as written: a newline inside the text becomes the two characters \n.
  std::size_t line_size = kStampLen + 1 + text.size() + newlines + 1;
  if (used_ > 0 && used_ + line_size > kWriteBytes) flush();
  make_room(line_size);
  std::uint64_t offset = index_.size + used_;
  // Only a file that already holds a line rotates, so an oversized line (or a cap of
  // 0) still lands in a file, once.
  if (offset > 0 && line_size > max_size_ - std::min(offset, max_size_)) {
    rotate();
    make_room(line_size);
    offset = index_.size + used_;
  }
  if (offset >= next_checkpoint_) {
    index_.checkpoints.push_back({offset, index_.lines, stamp});
    next_checkpoint_ = offset + kCheckpointBytes;
  }
  if (stamp != cached_stamp_) {
    std::memcpy(cached_text_, format_iso_ms(stamp).data(), kStampLen);
    cached_text_[kStampLen] = ' ';
    cached_stamp_ = stamp;
  }
  char* p = buf_.data() + used_;
  std::memcpy(p, cached_text_, sizeof cached_text_);
  p += sizeof cached_text_;
  if (newlines == 0) {
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  } else {
    for (char c : text) {
      if (c == '\n') {
        *p++ = '\\';
        *p++ = 'n';
      } else {
        *p++ = c;
      }
    }
  }
  *p = '\n';
  used_ += line_size;
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
  if (used_ == 0) return;
  std::string_view buf = buffered();
  if (file_.unlinked() && file_.reopen()) {
    // Deleted under us (its directory removed, say): the buffered lines start a new
    // file, whose index begins with them.
    auto lines = static_cast<std::uint64_t>(std::count(buf.begin(), buf.end(), '\n'));
    start_fresh();
    index_.checkpoints.push_back({0, 0, parse_line_stamp(buf).value_or(0)});
    index_.lines = lines;
    next_checkpoint_ = kCheckpointBytes;
    has_backup_ = false;
    ++reopened_;
  }
  std::size_t done = file_.write(buf);
  failing_ = done < buf.size();
  used_ = 0;
  if (!failing_) {
    index_.size += done;
    if (done < kKeepCapacity && buf_.size() > kKeepCapacity) std::string().swap(buf_);
    return;
  }
  // A full disk: keep the whole lines that made it, take back the start of the one
  // cut off (else the next write would glue a later line to it), and drop the rest.
  std::size_t whole = done == 0 ? 0 : buf.rfind('\n', done - 1) + 1;  // (npos + 1 == 0)
  if (whole < done && !file_.truncate(index_.size + whole)) whole = done;  // cannot: the part stays
  auto dropped = static_cast<std::uint64_t>(std::count(buf.begin() + static_cast<std::ptrdiff_t>(whole), buf.end(), '\n'));
  index_.size += whole;
  index_.lines -= dropped;
  lost_ += dropped;
  while (!index_.checkpoints.empty() && index_.checkpoints.back().offset >= index_.size) index_.checkpoints.pop_back();
  next_checkpoint_ = index_.checkpoints.empty() ? 0 : index_.checkpoints.back().offset + kCheckpointBytes;
}

}  // namespace pp
