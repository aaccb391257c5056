#include "common/procs.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/procfs.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

namespace fs = std::filesystem;

namespace {

constexpr double kKibPerMib = 1024;

// Every process's parent, from /proc/<pid>/stat (field 4, after the bracketed name).
std::map<int, int> parents() {
  std::map<int, int> up;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "stat");
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = s.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(s.substr(close + 2));
    char state;
    int ppid;
    if (rest >> state >> ppid) up[std::stoi(name)] = ppid;
  }
  return up;
}

std::string exe(int pid) {
  std::error_code ec;
  return fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).string();
}

}  // namespace

PidFd::PidFd(int pid) : pid_(pid), fd_(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))) {
  if (fd_ < 0) throw std::runtime_error("pidfd_open " + std::to_string(pid) + " failed (it has ended)");
}

PidFd::~PidFd() {
  if (fd_ >= 0) ::close(fd_);
}

Spawned spawn_to_file(const std::vector<std::string>& argv, const std::string& out_file, const std::string& cwd,
                      const std::map<std::string, std::string>& env) {
  int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out < 0 || null < 0) throw std::runtime_error("open " + out_file);
  int fds[3] = {null, out, out};
  int pid = pp::test::spawn_process(argv, env, fds, cwd);
  ::close(out);
  ::close(null);
  return {pid, PidFd(pid)};
}

int reap(int pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1000;
  return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

std::vector<int> tree(int pid) {
  auto up = parents();
  std::vector<int> all{pid};
  for (std::size_t i = 0; i < all.size(); ++i)
    for (const auto& [child, parent] : up)
      if (parent == all[i]) all.push_back(child);
  return all;
}

double supervisor_rss_mib(int pid) {
  std::string own = exe(pid);
  long kib = 0;
  for (int p : tree(pid))
    if (exe(p) == own) kib += std::max(0L, rss_kib(p));
  return static_cast<double>(kib) / kKibPerMib;
}

void become_subreaper() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }

// Killed again after each reaping: a process may have started a child between the
// look at the tree and the kill, and its orphans come to us.
void sweep() {
  for (;;) {
    auto all = tree(::getpid());
    if (all.size() == 1) return;
    for (std::size_t i = 1; i < all.size(); ++i) ::kill(all[i], SIGKILL);
    int status;
    if (::waitpid(-1, &status, 0) < 0 && errno == ECHILD) return;
  }
}

namespace {

int signal_pipe[2] = {-1, -1};

void on_stop_signal(int sig) {
  unsigned char b = static_cast<unsigned char>(sig);
  [[maybe_unused]] auto n = ::write(signal_pipe[1], &b, 1);
}

}  // namespace

// The handler only writes to a pipe; a thread does the rest outside signal context.
void sweep_on_signals() {
  if (::pipe2(signal_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  std::thread([] {
    unsigned char sig = 0;
    while (::read(signal_pipe[0], &sig, 1) < 0 && errno == EINTR) {
    }
    // Until none is left: a process forked after a look at the tree is found by the next
    // (its parent, killed, hands it to us, the subreaper), not left to init by our exit.
    sweep();
    std::fprintf(stderr, "%s: signal %d: killed everything below it\n", program_invocation_short_name, sig);
    ::_exit(128 + sig);
  }).detach();
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

}  // namespace pp::bench
