#include "os/pty.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <cerrno>
#include <cstring>

namespace pp::os {

PtyPair open_pty(unsigned short columns, unsigned short rows, std::string& error) {
  PtyPair p;
  auto fail = [&](const char* what) {
    error = std::string(what) + ": " + std::strerror(errno);
    return PtyPair{};
  };
  p.master = UniqueFd(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!p.master) return fail("Cannot open a pseudo-terminal");
  if (::grantpt(p.master.get()) != 0 || ::unlockpt(p.master.get()) != 0) return fail("Cannot unlock a pseudo-terminal");
  char name[128];
  if (::ptsname_r(p.master.get(), name, sizeof name) != 0) return fail("Cannot name a pseudo-terminal");
  // O_NOCTTY: the server must never take it as its own controlling terminal.
  p.slave = UniqueFd(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!p.slave) return fail("Cannot open a pseudo-terminal's slave");
  if (!set_window_size(p.master.get(), columns, rows)) return fail("Cannot set a pseudo-terminal's size");
  ::fcntl(p.master.get(), F_SETFL, ::fcntl(p.master.get(), F_GETFL) | O_NONBLOCK);
  return p;
}

int make_controlling_terminal(int fd) { return ::ioctl(fd, TIOCSCTTY, 0); }

bool set_window_size(int master, unsigned short columns, unsigned short rows) {
  winsize ws{};
  ws.ws_col = columns;
  ws.ws_row = rows;
  return ::ioctl(master, TIOCSWINSZ, &ws) == 0;
}

}  // namespace pp::os
