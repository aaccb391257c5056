#include "supervise/raw_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/log_paths.hpp"
#include "core/posix_io.hpp"
#include "core/unique_fd.hpp"
#include "core/utf8.hpp"

namespace pp {

std::string RawLog::open(const std::string& path) {
  close();
  if (std::string err = file_.open(path); !err.empty()) return err;
  size_ = 0;
  return "";
}

void RawLog::close() {
  if (!file_.is_open()) return;
  flush();
  file_.close();
}

void RawLog::append(std::string_view bytes) {
  if (!file_.is_open()) return;
  std::uint64_t offset = size_ + buf_.size();
  if (offset > 0 && bytes.size() > max_size_ - std::min<std::uint64_t>(offset, max_size_)) rotate();
  buf_.append(bytes);
}

void RawLog::rotate() {
  flush();
  auto r = file_.rotate();
  if (r == LogTarget::Rotation::fresh_with_backup || r == LogTarget::Rotation::fresh_without_backup) size_ = 0;
}

void RawLog::flush() {
  if (buf_.empty()) return;
  if (file_.unlinked() && file_.reopen()) size_ = 0;  // deleted under us: a new file
  size_ += file_.write(buf_);  // raw bytes have no lines to keep whole; a full disk loses some
  buf_.clear();
}

namespace {

// The last `max` bytes of the file `fd`; `cut` says whether it holds more before them.
std::string tail_of(int fd, std::uint64_t size, std::uint64_t max, bool& cut) {
  std::uint64_t from = size > max ? size - max : 0;
  cut = from > 0;
  std::string tail(size - from, '\0');
  tail.resize(pread_full(fd, tail.data(), tail.size(), from));
  return tail;
}

}  // namespace

ReadResult read_raw_tail(const std::string& path, std::uint64_t lines) {
  ReadResult r;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0) {
    r.error = "Cannot read " + path + ": " + std::strerror(errno);
    return r;
  }
  auto size = static_cast<std::uint64_t>(st.st_size);
  bool cut = false;
  std::string tail = tail_of(fd.get(), size, kRawTailBytes, cut);
  // A file rotated not long ago: the window goes on into the backup before it.
  UniqueFd backup;
  struct stat bst {};
  if (!cut && size < kRawTailBytes && (backup = UniqueFd(::open(backup_path(path).c_str(), O_RDONLY | O_CLOEXEC))) &&
      ::fstat(backup.get(), &bst) == 0)
    tail = tail_of(backup.get(), static_cast<std::uint64_t>(bst.st_size), kRawTailBytes - size, cut) + tail;
  std::string_view rest = tail;
  if (cut) {  // the first line of the window is cut: leave it out
    auto nl = rest.find('\n');
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  }
  std::vector<std::string_view> all;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    std::size_t len = nl == std::string_view::npos ? rest.size() : nl + 1;
    all.push_back(rest.substr(0, len));
    rest.remove_prefix(len);
  }
  std::size_t first = all.size() > lines ? all.size() - static_cast<std::size_t>(lines) : 0;
  r.lines_before = first;
  for (std::size_t i = first; i < all.size(); ++i) {
    std::string line;
    append_valid_utf8(line, all[i]);
    r.lines.push_back(std::move(line));
  }
  return r;
}

}  // namespace pp
