#include "supervise/log_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pp {

LogFile::~LogFile() { close(); }

std::string LogFile::open(const std::string& path) {
  close();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return "cannot open log file " + path + ": " + std::strerror(errno);
  path_ = path;
  index_ = {};
  next_checkpoint_ = 0;
  return "";
}

void LogFile::close() {
  if (fd_ < 0) return;
  flush();
  ::close(fd_);
  fd_ = -1;
}

void LogFile::append(Millis stamp, std::string_view text) {
  if (fd_ < 0) return;  // closed: the index must keep describing the file exactly
  std::uint64_t offset = index_.size + buf_.size();
  if (offset >= next_checkpoint_) {
    index_.checkpoints.push_back({offset, index_.lines, stamp});
    next_checkpoint_ = offset + kCheckpointBytes;
  }
  buf_ += format_iso_ms(stamp);
  buf_.push_back(' ');
  // One record per line, always: a newline inside the text (a command line or an
  // error message can hold one) is written as the two characters \n.
  if (text.find('\n') == std::string_view::npos) {
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
  if (buf_.size() >= 256 * 1024) flush();
}

void LogFile::flush() {
  std::size_t done = 0;
  while (fd_ >= 0 && done < buf_.size()) {
    ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // disk full or similar: the index below still counts what was asked, see size
    }
    done += static_cast<std::size_t>(n);
  }
  index_.size += done;
  buf_.clear();
}

}  // namespace pp
