#include "client/log_follower.hpp"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/log_paths.hpp"

namespace pp::client {

namespace asio = boost::asio;

namespace {

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

bool older(const struct stat& a, const struct stat& b) {
  return a.st_mtim.tv_sec != b.st_mtim.tv_sec ? a.st_mtim.tv_sec < b.st_mtim.tv_sec
                                              : a.st_mtim.tv_nsec < b.st_mtim.tv_nsec;
}

std::uint64_t size_of(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

}  // namespace

LogFollower::LogFollower(const asio::any_io_executor& ex)
    : inotify_(ex, ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {}

LogFollower::~LogFollower() { close_file(); }

void LogFollower::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string LogFollower::follow(const std::string& path, bool from_end) {
  int in = inotify_.native_handle();
  if (file_watch_ >= 0) ::inotify_rm_watch(in, file_watch_);
  if (dir_watch_ >= 0) ::inotify_rm_watch(in, dir_watch_);
  file_watch_ = dir_watch_ = -1;
  close_file();
  partial_.clear();
  path_ = path;
  std::filesystem::path p(path);
  name_ = p.filename().string();
  // The directory tells us when the log is created again after a rotation.
  std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  dir_watch_ = ::inotify_add_watch(in, dir.c_str(), IN_CREATE | IN_MOVED_TO);
  if (dir_watch_ < 0) return "cannot watch " + dir + ": " + std::strerror(errno);
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return "cannot read " + path + ": " + std::strerror(errno);
  struct stat current {};
  ::fstat(fd_, &current);
  // The backup, unless it is the file just opened (rotated in between).
  int backup = ::open(backup_path(path).c_str(), O_RDONLY | O_CLOEXEC);
  struct stat b {};
  if (backup >= 0 && (::fstat(backup, &b) != 0 || same_file(b, current))) {
    ::close(backup);
    backup = -1;
  }
  base_ = offset_ = 0;
  skip_first_ = false;
  if (backup >= 0 && !from_end) {
    // From the first line: that may already be in the backup.
    close_file();
    fd_ = backup;
  } else if (backup >= 0) {
    // Positions count the backup too, so a later follow(path, false) lines up.
    base_ = static_cast<std::uint64_t>(b.st_size);
    ::close(backup);
  }
  watch_file();
  if (file_watch_ < 0) return "cannot watch " + path + ": " + std::strerror(errno);
  if (from_end) {
    offset_ = size_of(fd_);
    // Start at a line boundary: a line caught halfway through its write is not shown.
    char before = '\n';
    if (offset_ > 0 && ::pread(fd_, &before, 1, static_cast<off_t>(offset_ - 1)) == 1 && before != '\n')
      skip_first_ = true;
  }
  return "";
}

void LogFollower::watch_file() {
  int in = inotify_.native_handle();
  if (file_watch_ >= 0) ::inotify_rm_watch(in, file_watch_);
  // Through /proc so the watch is on the very file we hold, whatever its name is now.
  std::string self = "/proc/self/fd/" + std::to_string(fd_);
  file_watch_ = ::inotify_add_watch(in, self.c_str(), IN_MODIFY | IN_CLOSE_WRITE | IN_MOVE_SELF);
}

bool LogFollower::rotated_away() const {
  struct stat mine {}, named {};
  if (::fstat(fd_, &mine) != 0) return false;
  return ::stat(path_.c_str(), &named) != 0 || !same_file(mine, named);
}

bool LogFollower::open_next() {
  struct stat mine {};
  ::fstat(fd_, &mine);
  // Usually the next file is the one now at the path. When the log rotated twice since
  // we looked, ours is gone and the backup is the file that came after it.
  int next = ::open(backup_path(path_).c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (next >= 0 && (::fstat(next, &st) != 0 || same_file(st, mine) || older(st, mine))) {
    ::close(next);
    next = -1;
  }
  if (next < 0) {
    next = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (next >= 0 && (::fstat(next, &st) != 0 || same_file(st, mine))) {
      ::close(next);
      next = -1;
    }
  }
  if (next < 0) return false;  // renamed, not yet created again: the directory watch wakes us
  base_ += offset_;
  offset_ = 0;
  close_file();
  fd_ = next;
  watch_file();
  return true;
}

void LogFollower::read_to_end(std::vector<Line>& lines) {
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::pread(fd_, buf, sizeof buf, static_cast<off_t>(offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::uint64_t base = base_ + offset_;
    offset_ += static_cast<std::uint64_t>(n);
    std::string_view data(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = data.find('\n')) != std::string_view::npos; data.remove_prefix(nl + 1)) {
      partial_.append(data.substr(0, nl));
      std::uint64_t end = base + static_cast<std::uint64_t>(data.data() - buf) + nl + 1;
      if (skip_first_)
        skip_first_ = false;
      else
        lines.push_back({std::move(partial_), end});
      partial_.clear();
    }
    partial_.append(data);  // the writer always ends lines; this is a write caught midway
  }
}

std::vector<LogFollower::Line> LogFollower::read_lines() {
  std::vector<Line> lines;
  if (fd_ < 0) return lines;
  for (;;) {
    // Looked at before reading: the writer finishes a file before renaming it, so once
    // the path names another file, reading ours to its end reads all of it.
    bool done = rotated_away();
    read_to_end(lines);
    if (!done || !open_next()) break;
  }
  return lines;
}

namespace {
// Whether a batch of inotify events concerns our log: everything on the watched
// file does; in the directory only our own name (other logs live there too).
// Not in the coroutine: each event is copied out of the byte buffer (a cast would
// be misaligned in a coroutine frame, whose buffers g++ 12 does not align) and an
// inotify_event, with its flexible array member, cannot live in a frame.
bool concerns_us(const char* buf, std::size_t n, int dir_watch, const std::string& name) {
  bool ours = false;
  for (const char* p = buf; p + sizeof(inotify_event) <= buf + n;) {
    inotify_event ev;
    std::memcpy(&ev, p, sizeof ev);
    const char* ev_name = p + sizeof(inotify_event);  // NUL-padded to ev.len bytes
    if (ev.wd != dir_watch || (ev.len > 0 && name == std::string_view(ev_name, ::strnlen(ev_name, ev.len))))
      ours = true;
    p += sizeof(inotify_event) + ev.len;
  }
  return ours;
}
}  // namespace

asio::awaitable<void> LogFollower::changed() {
  for (;;) {
    auto [ec] = co_await inotify_.async_wait(asio::posix::descriptor_base::wait_read,
                                             asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    bool ours = false;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(inotify_.native_handle(), buf, sizeof buf)) > 0)
      ours = concerns_us(buf, static_cast<std::size_t>(n), dir_watch_, name_) || ours;
    if (ours) co_return;
  }
}

}  // namespace pp::client
