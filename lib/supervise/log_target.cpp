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
// private data directory. O_EXCL: a file of that name is another log, never
// truncated. A directory removed under the server is made again, private.
int open_new(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
  if (fd >= 0 || errno != ENOENT) return fd;
  std::string dir = path.substr(0, path.rfind('/'));
  if (dir.empty() || (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)) return -1;
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
}
}  // namespace

std::string LogTarget::open(const std::string& path) {
  close();
  fd_ = open_new(path);
  if (fd_ < 0) return "cannot create log file " + path + ": " + std::strerror(errno);
  path_ = path;
  error_.clear();
  return "";
}

void LogTarget::close() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
}

std::size_t LogTarget::write(std::string_view data) {
  if (fd_ < 0) return 0;
  std::size_t done = write_all(fd_, data);
  if (done < data.size()) error_ = std::strerror(errno);
  return done;
}

bool LogTarget::truncate(std::uint64_t size) {
  return fd_ >= 0 && ::ftruncate(fd_, static_cast<off_t>(size)) == 0;
}

bool LogTarget::unlinked() const {
  struct stat st {};
  return fd_ >= 0 && ::fstat(fd_, &st) == 0 && st.st_nlink == 0;
}

bool LogTarget::reopen() {
  int fd = open_new(path_);
  if (fd < 0) {
    error_ = std::strerror(errno);
    return false;
  }
  ::close(fd_);
  fd_ = fd;
  return true;
}

LogTarget::Rotation LogTarget::rotate() {
  std::string backup = backup_path(path_);
  bool moved = ::rename(path_.c_str(), backup.c_str()) == 0;
  // Someone removed the file under us: start a fresh one rather than grow a deleted one.
  if (!moved && errno != ENOENT) return Rotation::kept;
  int fd = open_new(path_);
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
