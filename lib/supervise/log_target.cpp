#include "supervise/log_target.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/log_paths.hpp"
#include "core/posix_io.hpp"

namespace pp {

namespace {
// Private (0600): programs print secrets, and log files get copied out of the
// private data directory. fchmod too, for a file that existed with another mode.
int open_fresh(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd >= 0) ::fchmod(fd, 0600);
  return fd;
}
}  // namespace

std::string LogTarget::open(const std::string& path) {
  close();
  fd_ = open_fresh(path);
  if (fd_ < 0) return "cannot open log file " + path + ": " + std::strerror(errno);
  // A backup of an earlier log with this name (a reused pid) is not this log's past.
  ::unlink(backup_path(path).c_str());
  path_ = path;
  return "";
}

void LogTarget::close() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
}

std::size_t LogTarget::write(std::string_view data) { return fd_ >= 0 ? write_all(fd_, data) : 0; }

LogTarget::Rotation LogTarget::rotate() {
  std::string backup = backup_path(path_);
  bool moved = ::rename(path_.c_str(), backup.c_str()) == 0;
  // Someone removed the file under us: start a fresh one rather than grow a deleted one.
  if (!moved && errno != ENOENT) return Rotation::kept;
  int fd = open_fresh(path_);
  if (fd < 0) {
    if (!moved) return Rotation::kept;
    ::rename(backup.c_str(), path_.c_str());  // keep writing where we were
    return Rotation::kept_backup_lost;        // the old backup was replaced, then moved back
  }
  ::close(fd_);
  fd_ = fd;
  return moved ? Rotation::fresh_with_backup : Rotation::fresh_without_backup;
}

}  // namespace pp
