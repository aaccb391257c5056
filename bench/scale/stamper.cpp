// pp_bench_stamper: the flooding child of pp_bench_scale's followers section.
// Prints "ready", waits for SIGUSR1, then writes COUNT lines of SIZE bytes at RATE
// lines a second, each "s <n> <CLOCK_MONOTONIC ns> " padded with 'x' (numbered
// from 1, stamped as it is written, so a reader knows each line's age), prints
// "done" and waits for a signal to end it. A timerfd paces the lines (the child's
// own schedule, not a wait): expirations it missed are written at once, so a slow
// pipe delays lines but never drops them.
//   pp_bench_stamper COUNT RATE SIZE
#include <signal.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr long kNsPerS = 1'000'000'000;

void write_all(const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    ssize_t w = ::write(1, s.data() + done, s.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) std::_Exit(99);
    done += static_cast<std::size_t>(w);
  }
}

long long now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * kNsPerS + ts.tv_nsec;
}

std::string line(long n, std::size_t size) {
  std::string s = "s " + std::to_string(n) + " " + std::to_string(now_ns()) + " ";
  if (s.size() + 1 < size) s.append(size - 1 - s.size(), 'x');
  s.push_back('\n');
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: pp_bench_stamper COUNT RATE SIZE\n");
    return 2;
  }
  long count = std::atol(argv[1]), rate = std::atol(argv[2]);
  auto size = static_cast<std::size_t>(std::atol(argv[3]));
  if (count < 1 || rate < 1 || rate > kNsPerS) {
    std::fprintf(stderr, "pp_bench_stamper: COUNT and RATE must be positive\n");
    return 2;
  }
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ::sigprocmask(SIG_BLOCK, &usr1, nullptr);  // before "ready": the signal cannot come too early
  write_all("ready\n");
  int sig = 0;
  ::sigwait(&usr1, &sig);

  int timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  long period = kNsPerS / rate;
  itimerspec spec{};
  spec.it_interval = {period / kNsPerS, period % kNsPerS};
  spec.it_value = {0, 1};  // the first line at once
  if (timer < 0 || ::timerfd_settime(timer, 0, &spec, nullptr) != 0) return 1;
  for (long n = 1; n <= count;) {
    std::uint64_t due = 0;
    if (::read(timer, &due, sizeof due) != sizeof due) {
      if (errno == EINTR) continue;
      return 1;
    }
    for (std::uint64_t k = 0; k < due && n <= count; ++k, ++n) write_all(line(n, size));
  }
  write_all("done\n");
  for (;;) ::pause();
}
