#include "client/log_follower.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/eintr.hpp"
#include "core/log_paths.hpp"
#include "core/same_file.hpp"

namespace pp::client {

namespace asio = boost::asio;

namespace {

bool older(const struct stat& a, const struct stat& b) {
  return a.st_mtim.tv_sec != b.st_mtim.tv_sec ? a.st_mtim.tv_sec < b.st_mtim.tv_sec
                                              : a.st_mtim.tv_nsec < b.st_mtim.tv_nsec;
}

std::uint64_t size_of(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

}  // namespace

LogFollower::LogFollower(const asio::any_io_executor& ex) : watch_(ex) {}

LogFollower::~LogFollower() { close_file(); }

void LogFollower::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string LogFollower::follow(const std::string& path, bool from_end, bool bytes) {
  watch_.clear();
  close_file();
  partial_.clear();
  path_ = path;
  std::filesystem::path p(path);
  name_ = p.filename().string();
  // The directory tells us when the log is created again after a rotation.
  std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  if (std::string err = watch_.watch_dir(dir, name_); !err.empty()) return err;
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
  if (std::string err = watch_.watch_file(fd_, path); !err.empty()) return err;
  if (from_end) {
    offset_ = size_of(fd_);
    // Start at a line boundary: a line caught halfway through its write is not shown.
    char before = '\n';
    if (!bytes && offset_ > 0 && ::pread(fd_, &before, 1, static_cast<off_t>(offset_ - 1)) == 1 && before != '\n')
      skip_first_ = true;
  }
  return "";
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
  watch_.watch_file(fd_, path_);
  return true;
}

template <class Take>
void LogFollower::read_all(Take take) {
  if (fd_ < 0) return;
  char buf[64 * 1024];
  for (;;) {
    // Looked at before reading: the writer finishes a file before renaming it, so once
    // the path names another file, reading ours to its end reads all of it.
    bool done = rotated_away();
    for (;;) {
      ssize_t n = retry_eintr([&] { return ::pread(fd_, buf, sizeof buf, static_cast<off_t>(offset_)); });
      if (n <= 0) break;
      std::uint64_t at = base_ + offset_;
      offset_ += static_cast<std::uint64_t>(n);
      take(std::string_view(buf, static_cast<std::size_t>(n)), at);
    }
    if (!done || !open_next()) break;
  }
}

void LogFollower::split_lines(std::string_view data, std::uint64_t at, std::vector<Line>& lines) {
  const char* start = data.data();
  for (std::size_t nl; (nl = data.find('\n')) != std::string_view::npos; data.remove_prefix(nl + 1)) {
    partial_.append(data.substr(0, nl));
    std::uint64_t end = at + static_cast<std::uint64_t>(data.data() - start) + nl + 1;
    if (skip_first_)
      skip_first_ = false;
    else
      lines.push_back({std::move(partial_), end});
    partial_.clear();
  }
  partial_.append(data);  // the writer always ends lines; this is a write caught midway
}

std::vector<LogFollower::Line> LogFollower::read_lines() {
  std::vector<Line> lines;
  read_all([&](std::string_view data, std::uint64_t at) { split_lines(data, at, lines); });
  return lines;
}

std::string LogFollower::read_bytes() {
  std::string bytes;
  read_all([&](std::string_view data, std::uint64_t) { bytes.append(data); });
  return bytes;
}

asio::awaitable<void> LogFollower::changed() { co_await watch_.changed(); }

}  // namespace pp::client
