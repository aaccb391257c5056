#include "common/commands.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "common/timing.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

namespace {

// How long a child has to end after SIGTERM, and then after SIGKILL.
constexpr std::chrono::seconds kTermGrace{10};

int decode(int status) { return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status); }

}  // namespace

Ran run_cmd(const std::vector<std::string>& argv, const Env& env, std::chrono::seconds bound) {
  auto t0 = Clock::now();
  auto r = pp::test::run_program(argv, env, bound);
  double ms = ms_since(t0);
  if (r.timed_out) throw std::runtime_error(argv[0] + " " + (argv.size() > 1 ? argv[1] : "") + ": no end within the bound");
  return {r.exit_code, std::move(r.out), std::move(r.err), ms};
}

Ran must(Ran r, const std::string& what) {
  if (r.code != 0) throw std::runtime_error(what + " failed (" + std::to_string(r.code) + "): " + r.out + r.err);
  return r;
}

Child::Child(const std::vector<std::string>& argv, const Env& env, const std::string& stdout_file) {
  int in[2], out[2] = {-1, -1};
  if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  if (stdout_file.empty()) {
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  } else {
    out[1] = ::open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  int fds[3] = {in[0], out[1], -1};
  pid_ = pp::test::spawn_process(argv, env, fds);
  ::close(in[0]);
  ::close(out[1]);
  in_ = in[1];
  out_ = out[0];
}

Child::~Child() {
  if (in_ >= 0) ::close(in_);
  if (out_ >= 0) ::close(out_);
  for (int sig : {SIGTERM, SIGKILL}) {
    if (pid_ <= 0) break;
    ::kill(pid_, sig);
    wait(kTermGrace);
  }
}

void Child::write_line(const std::string& line) {
  std::string s = line + "\n";
  if (::write(in_, s.data(), s.size()) != static_cast<ssize_t>(s.size())) throw std::runtime_error("write to child");
}

std::string Child::read_line(std::chrono::milliseconds bound) {
  auto deadline = Clock::now() + bound;
  for (;;) {
    if (auto nl = buf_.find('\n'); nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      return line;
    }
    pollfd p{out_, POLLIN, 0};
    int n = ::poll(&p, 1, ms_left(deadline));
    if (n < 0 && errno == EINTR) continue;
    char b[4096];
    ssize_t got = n > 0 ? ::read(out_, b, sizeof b) : -1;
    if (got <= 0) throw std::runtime_error("child " + std::to_string(pid_) + ": no line within the bound");
    buf_.append(b, static_cast<std::size_t>(got));
  }
}

int Child::wait(std::chrono::milliseconds bound) {
  if (!pp::test::await_pid_exit(pid_, bound)) return -1000;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return decode(status);
}

}  // namespace pp::bench
