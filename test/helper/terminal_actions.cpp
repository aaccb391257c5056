#include "helper/terminal_actions.hpp"

#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>

namespace pp::test {

namespace {

void write_text(const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(1, s.data() + done, s.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// Async-signal-safe (it is also the SIGWINCH handler): ioctl, a hand-made number and write(2).
void print_winsize(int) {
  winsize ws{};
  char buf[64] = "winsize ";
  std::size_t len = 8;
  auto put_num = [&](unsigned v) {
    char d[8];
    int k = 0;
    do d[k++] = static_cast<char>('0' + v % 10);
    while ((v /= 10) > 0 && k < 8);
    while (k > 0) buf[len++] = d[--k];
  };
  if (::ioctl(1, TIOCGWINSZ, &ws) != 0) ws = {};
  put_num(ws.ws_col);
  buf[len++] = 'x';
  put_num(ws.ws_row);
  buf[len++] = '\n';
  ssize_t ignored = ::write(1, buf, len);
  (void)ignored;
}

}  // namespace

bool terminal_action(const std::string& verb) {
  if (verb == "isatty") {
    write_text(std::string("isatty ") + (::isatty(0) ? "1" : "0") + (::isatty(1) ? "1" : "0") +
               (::isatty(2) ? "1" : "0") + "\n");
  } else if (verb == "winsize") {
    print_winsize(0);
  } else if (verb == "winch") {
    struct sigaction sa {};
    sa.sa_handler = print_winsize;
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGWINCH, &sa, nullptr);
  } else if (verb == "keys") {
    termios t{};
    if (::tcgetattr(0, &t) == 0) {
      ::cfmakeraw(&t);
      t.c_oflag |= OPOST | ONLCR;  // our own lines still end in "\r\n"
      ::tcsetattr(0, TCSANOW, &t);
    }
    write_text("keys ready\n");
    unsigned char c;
    while (::read(0, &c, 1) == 1) {
      timespec ts{};
      ::clock_gettime(CLOCK_MONOTONIC, &ts);
      char line[64];
      std::snprintf(line, sizeof line, "key %02x %lld\n", c, static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec);
      write_text(line);
    }
    write_text("eof\n");
  } else if (verb == "readline") {
    std::string line;
    char c;
    while (::read(0, &c, 1) == 1) {
      if (c != '\n') {
        line.push_back(c);
        continue;
      }
      write_text("read: " + line + "\n");
      line.clear();
    }
    write_text("eof\n");
  } else {
    return false;
  }
  return true;
}

}  // namespace pp::test
