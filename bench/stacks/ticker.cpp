// pp_bench_ticker: one process of the stacks benchmark's four-process stack.
// Writes its pid to DIR/NAME.pid, prints "ready:NAME", then a numbered line
// "seq:NAME:<n>" every PERIOD_US microseconds (a timerfd: the child's own steady
// pace, not a wait). On SIGTERM, SIGINT or SIGHUP it writes to DIR/NAME.count how
// many numbered lines it wrote whole, and exits 0: the harness compares that with
// the lines the supervisor kept. A line is written only when the pipe has room
// (poll for POLLOUT), so a full pipe delays lines without hiding the stop signal;
// once the reader is gone (EPIPE) nothing more counts as written.
//   pp_bench_ticker NAME DIR PERIOD_US
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

constexpr int kStopSignals[] = {SIGTERM, SIGINT, SIGHUP};
constexpr long kNsPerUs = 1000, kNsPerS = 1'000'000'000;

// path, written whole or not at all (the harness may read it at any moment).
void write_file(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  std::ofstream(tmp) << text;
  std::rename(tmp.c_str(), path.c_str());
}

// One whole line, or false: a short write cannot happen for a line this short on
// a pipe with room (PIPE_BUF), and any error means the reader is gone.
bool write_line(const std::string& line) {
  ssize_t w;
  while ((w = ::write(1, line.data(), line.size())) < 0 && errno == EINTR) {
  }
  return w == static_cast<ssize_t>(line.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: pp_bench_ticker NAME DIR PERIOD_US\n");
    return 2;
  }
  std::string name = argv[1], dir = argv[2];
  long period_us = std::atol(argv[3]);
  if (period_us <= 0) return 2;

  // Ours to decide: a background shell may have handed these down ignored, and an
  // ignored signal never reaches a signalfd.
  sigset_t stop;
  sigemptyset(&stop);
  for (int s : kStopSignals) {
    ::signal(s, SIG_DFL);
    sigaddset(&stop, s);
  }
  ::signal(SIGPIPE, SIG_IGN);
  ::sigprocmask(SIG_BLOCK, &stop, nullptr);
  int sfd = ::signalfd(-1, &stop, SFD_CLOEXEC);
  int tfd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  itimerspec every{};
  every.it_interval.tv_sec = period_us * kNsPerUs / kNsPerS;
  every.it_interval.tv_nsec = period_us * kNsPerUs % kNsPerS;
  every.it_value = every.it_interval;
  if (sfd < 0 || tfd < 0 || ::timerfd_settime(tfd, 0, &every, nullptr) != 0) return 1;

  write_file(dir + "/" + name + ".pid", std::to_string(::getpid()) + "\n");
  bool open = write_line("ready:" + name + "\n");
  long written = 0;
  std::uint64_t due = 0;  // lines the timer asked for that are not written yet
  for (;;) {
    pollfd p[3] = {{sfd, POLLIN, 0}, {tfd, POLLIN, 0}, {1, static_cast<short>(open && due > 0 ? POLLOUT : 0), 0}};
    if (::poll(p, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (p[0].revents & POLLIN) break;
    if (p[1].revents & POLLIN) {
      std::uint64_t n = 0;
      if (::read(tfd, &n, sizeof n) == sizeof n) due += n;
    }
    if (p[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      open = write_line("seq:" + name + ":" + std::to_string(written + 1) + "\n");
      if (open) {
        ++written;
        --due;
      }
    }
  }
  write_file(dir + "/" + name + ".count", std::to_string(written) + "\n");
  return 0;
}
