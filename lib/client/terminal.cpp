#include "client/terminal.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace pp::client {

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

RawMode::RawMode(int fd) : fd_(fd) {
  saved_flags_ = ::fcntl(fd_, F_GETFL);
  if (::tcgetattr(fd_, &saved_) != 0) return;
  termios raw = saved_;
  raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO | ISIG));
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  active_ = ::tcsetattr(fd_, TCSANOW, &raw) == 0;
}

void RawMode::restore() {
  if (saved_flags_ >= 0) ::fcntl(fd_, F_SETFL, saved_flags_);
  saved_flags_ = -1;
  if (!active_) return;
  ::tcsetattr(fd_, TCSANOW, &saved_);
  active_ = false;
}

}  // namespace pp::client
