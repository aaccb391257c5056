#include "client/terminal.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace pp::client {

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

bool is_foreground_terminal(int fd) {
  if (!is_terminal(fd)) return false;
  pid_t foreground = ::tcgetpgrp(fd);
  return foreground > 0 && foreground == ::getpgrp();
}

std::optional<WindowSize> window_size(int fd) {
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0) return std::nullopt;
  return WindowSize{ws.ws_col, ws.ws_row};
}

RawMode::RawMode(int fd, bool output) : fd_(fd) {
  saved_flags_ = ::fcntl(fd_, F_GETFL);
  if (::tcgetattr(fd_, &saved_) != 0) return;
  termios raw = saved_;
  raw.c_iflag &= static_cast<tcflag_t>(~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON));
  raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO | ECHONL | ISIG | IEXTEN));
  if (output) raw.c_oflag &= static_cast<tcflag_t>(~OPOST);
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
