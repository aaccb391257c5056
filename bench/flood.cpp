// pp_bench_flood: the log-ingestion child. Prints "ready", waits for SIGUSR1,
// then writes N lines of exactly 100 bytes ("%07ld " + 91 'x' + '\n', numbered
// from 1) to stdout as fast as it can, in 64 KiB writes, and exits 0 — or, with
// `stay`, waits for a signal to end it (so an exit cannot race the last lines).
// With `color` each line's number is coloured (SGR green, then reset: 9 of the
// 100 bytes), as a dev tool's output is. Waiting for the signal keeps the
// supervisor's start-up cost out of the timing. With `done=PATH` it writes "done" to PATH
// once its last line is written (the full-disk replay learns so without reading
// a log that may have dropped it); while it stays, each SIGUSR2 writes "after".
//   pp_bench_flood N [stay] [color] [done=PATH]
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void write_all(const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(1, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) std::_Exit(99);
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool stay = false, color = false;
  const char* done = nullptr;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "stay") == 0)
      stay = true;
    else if (std::strcmp(argv[i], "color") == 0)
      color = true;
    else if (std::strncmp(argv[i], "done=", 5) == 0)
      done = argv[i] + 5;
    else
      argc = 0;
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: pp_bench_flood N [stay] [color] [done=PATH]\n");
    return 2;
  }
  long n = std::atol(argv[1]);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  ::sigprocmask(SIG_BLOCK, &usr1, nullptr);  // before "ready": the signal cannot come too early
  ::sigprocmask(SIG_BLOCK, &usr2, nullptr);
  write_all("ready\n", 6);
  int sig = 0;
  ::sigwait(&usr1, &sig);

  constexpr std::size_t kLine = 100, kPerWrite = 655;  // 65,500 bytes per write
  std::string buf(kLine * kPerWrite, 'x');
  std::size_t used = 0;
  for (long k = 1; k <= n; ++k) {
    char head[24];
    // 8 characters up to 9,999,999 lines (17 coloured)
    int len = std::snprintf(head, sizeof head, color ? "\x1b[32m%07ld\x1b[0m " : "%07ld ", k);
    char* line = buf.data() + used;
    std::memcpy(line, head, static_cast<std::size_t>(len));
    line[kLine - 1] = '\n';
    used += kLine;
    if (used == buf.size()) {
      write_all(buf.data(), used);
      used = 0;
    }
  }
  write_all(buf.data(), used);
  if (done)
    if (FILE* f = std::fopen(done, "w")) {
      std::fputs("done\n", f);
      std::fclose(f);
    }
  if (stay)
    for (;;) {  // SIGTERM or SIGINT ends it
      ::sigwait(&usr2, &sig);
      write_all("after\n", 6);
    }
  return 0;
}
