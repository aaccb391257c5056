// pp_test_helper: a child process with scripted behaviour for the tests.
// Each argument is one action, run in order; output is written unbuffered.
//   out:TEXT err:TEXT partial:TEXT hex:HEX   write a line / a line to stderr / no newline / raw bytes
//   lines:N errlines:N long:N flood:N:SIZE   N numbered lines / to stderr / one N-byte line / N lines fast
//   ignore-term   ignore SIGTERM from now on      term-exit:CODE  on SIGTERM print "got TERM", exit CODE
//   fork:N        fork N grandchildren that print "grandchild <pid>" and wait forever
//   fork-stubborn:N  the same, but the grandchildren ignore SIGTERM
//   daemon        double-fork a daemon out of the session (setsid in the middle child,
//                 which exits): print "daemon <pid>" once the middle one is gone (the
//                 daemon an orphan), then go on; the daemon drops its stdio and waits forever
//   daemon:bare   the same, but the daemon re-executes this helper ("pause") with an
//                 empty environment, so nothing of its origin is left in it (its pid is
//                 reported from the new image, so the exec is done when it is printed)
//   report-pid:FD write this process's pid and a newline to descriptor FD, close it
//   env:NAME  pwd  ready   print a variable / the working directory / "ready"
//   exit:CODE  kill-self:SIG  pause   end now / by a signal / wait for a signal forever
//   await-usr1:TEXT  print TEXT, then wait until a SIGUSR1 arrives and go on
//   usr1:TEXT     from now on, print TEXT as a line on every SIGUSR1
//   int:TEXT      from now on, print TEXT as a line on every SIGINT (and keep running)
//   usr1-lines:N  from now on, print the next N numbered lines ("line K", counting on) on every SIGUSR1
//   close-stdin   close descriptor 0
//   stdin-mode    print "stdin blocking" or "stdin non-blocking"
//   copy-stdin    copy stdin to stdout until end of input
//   isatty winsize winch readline keys   terminals and input: see terminal_actions.hpp
//   listen        listen on an ephemeral TCP port of 127.0.0.1, print "listening on <port>"
//   fork-listen   the same in a forked grandchild that then waits forever
//   fds           print "fds:" and the numbers of this process's open descriptors
//   stamp:TEXT    print "TEXT <CLOCK_MONOTONIC in ns>" (latency benchmarks)
//   sleep:MS      pause MS milliseconds (a slow writer: a progress bar that stands still)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "helper/terminal_actions.hpp"

namespace {

int term_exit_code = 0;
char usr1_text[256];
std::size_t usr1_len = 0;

void on_usr1(int) {
  ssize_t ignored = ::write(1, usr1_text, usr1_len);
  (void)ignored;
}

char int_text[256];
std::size_t int_len = 0;

void on_int(int) {
  ssize_t ignored = ::write(1, int_text, int_len);
  (void)ignored;
}

int usr1_batch = 0;
long usr1_next_line = 1;

// Async-signal-safe: formats into a stack buffer and writes with write(2) only.
void on_usr1_lines(int) {
  char buf[8192];
  std::size_t len = 0;
  auto put = [&] {
    if (len == 0) return;
    std::size_t done = 0;
    while (done < len) {
      ssize_t n = ::write(1, buf + done, len - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) std::_Exit(99);
      done += static_cast<std::size_t>(n);
    }
    len = 0;
  };
  for (int k = 0; k < usr1_batch; ++k, ++usr1_next_line) {
    if (len + 32 > sizeof buf) put();
    char digits[24];
    int d = 0;
    for (long v = usr1_next_line; v > 0; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
    for (const char* c = "line "; *c; ++c) buf[len++] = *c;
    while (d > 0) buf[len++] = digits[--d];
    buf[len++] = '\n';
  }
  put();
}

void write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(99);
    done += static_cast<std::size_t>(n);
  }
}

void on_term(int) {
  const char msg[] = "got TERM\n";
  ssize_t ignored = ::write(1, msg, sizeof msg - 1);
  (void)ignored;
  std::_Exit(term_exit_code);
}

[[noreturn]] void wait_forever() {
  for (;;) ::pause();
}

// Prints `text` once SIGUSR1 is blocked (so a signal sent on seeing it cannot
// kill), then waits until one arrives and goes on (the signal is consumed).
void await_usr1(const std::string& text) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  write_all(1, text + "\n");
  int sig = 0;
  ::sigwait(&set, &sig);
  ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

void fork_children(int n, bool stubborn) {
  for (int i = 0; i < n; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      if (stubborn) ::signal(SIGTERM, SIG_IGN);
      wait_forever();
    }
    write_all(1, "grandchild " + std::to_string(pid) + "\n");
  }
}

void spawn_daemon(bool bare) {
  int report[2];
  if (::pipe(report) != 0) std::_Exit(97);
  pid_t middle = ::fork();
  if (middle == 0) {
    ::close(report[0]);
    ::setsid();
    if (::fork() == 0) {
      int null = ::open("/dev/null", O_RDWR);
      for (int fd : {0, 1, 2}) ::dup2(null, fd);
      if (null > 2) ::close(null);
      if (bare) {
        std::string report_action = "report-pid:" + std::to_string(report[1]);  // the pipe stays open across exec
        char pause[] = "pause";
        char* argv[] = {pause, report_action.data(), pause, nullptr};
        char* envp[] = {nullptr};
        ::execve("/proc/self/exe", argv, envp);
        std::_Exit(96);
      }
      write_all(report[1], std::to_string(::getpid()) + "\n");
      ::close(report[1]);
      wait_forever();
    }
    std::_Exit(0);
  }
  ::close(report[1]);
  ::waitpid(middle, nullptr, 0);  // the middle one is gone: the daemon is an orphan now
  std::string pid;
  char c;
  while (::read(report[0], &c, 1) == 1 && c != '\n') pid += c;
  ::close(report[0]);
  write_all(1, "daemon " + pid + "\n");
}

void listen_and_report() {
  static int s = ::socket(AF_INET, SOCK_STREAM, 0);  // kept open until the process ends
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(s, 1) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    std::_Exit(98);
  write_all(1, "listening on " + std::to_string(ntohs(addr.sin_port)) + "\n");
}

std::string from_hex(const std::string& h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto colon = a.find(':');
    std::string verb = a.substr(0, colon);
    std::string arg = colon == std::string::npos ? "" : a.substr(colon + 1);
    if (verb == "out") write_all(1, arg + "\n");
    else if (verb == "err") write_all(2, arg + "\n");
    else if (verb == "partial") write_all(1, arg);
    else if (verb == "hex") write_all(1, from_hex(arg));
    else if (verb == "lines" || verb == "errlines") {
      std::string buf;
      for (int k = 1; k <= std::stoi(arg); ++k) buf += "line " + std::to_string(k) + "\n";
      write_all(verb == "lines" ? 1 : 2, buf);
    } else if (verb == "long") write_all(1, std::string(static_cast<std::size_t>(std::stoul(arg)), 'x') + "\n");
    else if (verb == "flood") {
      auto c2 = arg.find(':');
      long n = std::stol(arg.substr(0, c2));
      std::size_t size = std::stoul(arg.substr(c2 + 1));
      std::string line(size > 0 ? size - 1 : 0, 'y');
      line.push_back('\n');
      // Whole lines, at most PIPE_BUF bytes per write: such a write is atomic, so
      // the server never reads half a line. (With 64 KiB writes into a part-full
      // pipe, a writer descheduled mid-line for longer than the partial-line flush
      // has that line written in two parts, by design; the flake hunt caught a
      // test counting on it not happening.) Lines longer than PIPE_BUF go one per write.
      std::string buf;
      for (long k = 0; k < n; ++k) {
        if (!buf.empty() && buf.size() + line.size() > PIPE_BUF) {
          write_all(1, buf);
          buf.clear();
        }
        buf += line;
      }
      write_all(1, buf);
    } else if (verb == "ignore-term") ::signal(SIGTERM, SIG_IGN);
    else if (verb == "term-exit") {
      term_exit_code = std::stoi(arg);
      ::signal(SIGTERM, on_term);
    } else if (verb == "fork") fork_children(std::stoi(arg), false);
    else if (verb == "fork-stubborn") fork_children(std::stoi(arg), true);
    else if (verb == "daemon") spawn_daemon(arg == "bare");
    else if (verb == "report-pid") {
      write_all(std::stoi(arg), std::to_string(::getpid()) + "\n");
      ::close(std::stoi(arg));
    }
    else if (verb == "env") {
      const char* v = std::getenv(arg.c_str());
      write_all(1, arg + (v ? "=" + std::string(v) : " unset") + "\n");
    } else if (verb == "pwd") {
      char buf[PATH_MAX];
      write_all(1, std::string(::getcwd(buf, sizeof buf) ? buf : "?") + "\n");
    } else if (verb == "ready") {
      write_all(1, "ready\n");
    } else if (verb == "stamp") {
      timespec ts{};
      ::clock_gettime(CLOCK_MONOTONIC, &ts);
      write_all(1, arg + " " + std::to_string(static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec) + "\n");
    } else if (verb == "sleep") {
      timespec ts{std::stol(arg) / 1000, (std::stol(arg) % 1000) * 1000000L};
      while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
      }
    } else if (verb == "fds") {
      std::string line = "fds:";
      for (int fd = 0; fd < 1024; ++fd)
        if (::fcntl(fd, F_GETFD) >= 0) line += " " + std::to_string(fd);
      write_all(1, line + "\n");
    } else if (verb == "listen") {
      listen_and_report();
    } else if (verb == "fork-listen") {
      if (::fork() == 0) {
        listen_and_report();
        wait_forever();
      }
    } else if (verb == "copy-stdin") {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(0, buf, sizeof buf)) > 0) write_all(1, std::string(buf, static_cast<std::size_t>(n)));
    } else if (pp::test::terminal_action(verb)) {  // done
    } else if (verb == "close-stdin") {
      ::close(0);
    } else if (verb == "stdin-mode") {
      write_all(1, (::fcntl(0, F_GETFL) & O_NONBLOCK) ? "stdin non-blocking\n" : "stdin blocking\n");
    } else if (verb == "usr1") {
      std::string line = arg.substr(0, sizeof usr1_text - 2) + "\n";
      std::memcpy(usr1_text, line.data(), line.size());
      usr1_len = line.size();
      struct sigaction sa {};
      sa.sa_handler = on_usr1;
      sa.sa_flags = SA_RESTART;
      ::sigaction(SIGUSR1, &sa, nullptr);
    } else if (verb == "int") {
      std::string line = arg.substr(0, sizeof int_text - 2) + "\n";
      std::memcpy(int_text, line.data(), line.size());
      int_len = line.size();
      struct sigaction sa {};
      sa.sa_handler = on_int;
      sa.sa_flags = SA_RESTART;
      ::sigaction(SIGINT, &sa, nullptr);
    } else if (verb == "usr1-lines") {
      usr1_batch = std::stoi(arg);
      struct sigaction sa {};
      sa.sa_handler = on_usr1_lines;
      sa.sa_flags = SA_RESTART;
      ::sigaction(SIGUSR1, &sa, nullptr);
    }
    else if (verb == "exit") std::_Exit(std::stoi(arg));
    else if (verb == "kill-self") ::kill(::getpid(), std::stoi(arg));
    else if (verb == "pause") wait_forever();
    else if (verb == "await-usr1") await_usr1(arg);
    else {
      write_all(2, "pp_test_helper: unknown action " + a + "\n");
      return 100;
    }
  }
  return 0;
}
