#include "support/pty_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "support/test_support.hpp"

extern char** environ;

namespace pp::test {

PtyProcess::PtyProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                       const std::string& cwd) {
  winsize ws{24, 120, 0, 0};
  pid_ = ::forkpty(&master_, nullptr, nullptr, &ws);
  if (pid_ < 0) throw std::runtime_error(std::string("forkpty: ") + std::strerror(errno));
  if (pid_ == 0) {
    for (const auto& [k, v] : env) {
      if (v.empty())
        ::unsetenv(k.c_str());
      else
        ::setenv(k.c_str(), v.c_str(), 1);
    }
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    std::vector<char*> a;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    ::execv(a[0], a.data());
    ::_exit(127);
  }
}

void PtyProcess::resize(int columns, int rows) {
  winsize ws{static_cast<unsigned short>(rows), static_cast<unsigned short>(columns), 0, 0};
  if (::ioctl(master_, TIOCSWINSZ, &ws) != 0) throw std::runtime_error(std::string("TIOCSWINSZ: ") + std::strerror(errno));
}

unsigned PtyProcess::local_modes() const {
  termios t{};  // on the master side Linux answers with the terminal's (the slave's) settings
  if (::tcgetattr(master_, &t) != 0) throw std::runtime_error(std::string("tcgetattr: ") + std::strerror(errno));
  return t.c_lflag;
}

PtyProcess::~PtyProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int st;
    ::waitpid(pid_, &st, 0);
  }
  if (master_ >= 0) ::close(master_);
}

void PtyProcess::send(const std::string& bytes) {
  ssize_t n = ::write(master_, bytes.data(), bytes.size());
  if (n != static_cast<ssize_t>(bytes.size())) throw std::runtime_error("write to pty failed");
}

bool PtyProcess::read_some(std::chrono::steady_clock::time_point deadline) {
  if (eof_) return false;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  pollfd p{master_, POLLIN, 0};
  int r = ::poll(&p, 1, left.count() > 0 ? static_cast<int>(left.count()) : 0);
  if (r < 0 && errno == EINTR) return true;
  if (r <= 0) return false;
  char buf[8192];
  ssize_t n = ::read(master_, buf, sizeof buf);
  if (n <= 0) {  // EIO: every slave descriptor is closed
    eof_ = true;
    return false;
  }
  transcript_.append(buf, static_cast<std::size_t>(n));
  return true;
}

bool PtyProcess::await_output(const std::string& needle, std::size_t from, std::chrono::milliseconds bound) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  while (transcript_.find(needle, from) == std::string::npos)
    if (!read_some(deadline)) return transcript_.find(needle, from) != std::string::npos;
  return true;
}

int PtyProcess::wait_exit(std::chrono::milliseconds bound) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  while (read_some(deadline)) {
  }
  if (!await_pid_exit(pid_, std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::max(deadline - std::chrono::steady_clock::now(),
                                          std::chrono::steady_clock::duration::zero()))))
    return -1000;
  int st = 0;
  ::waitpid(pid_, &st, 0);
  pid_ = -1;
  return WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st);
}

}  // namespace pp::test
