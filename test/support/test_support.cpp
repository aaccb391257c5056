#include "support/test_support.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/readiness.hpp"

extern char** environ;

namespace pp::test {

namespace {

int ms_left(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::vector<std::string> merged_env(const std::map<std::string, std::string>& overlay) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq) env[std::string(*e, static_cast<std::size_t>(eq - *e))] = eq + 1;
  }
  for (const auto& [k, v] : overlay) {
    if (v.empty())
      env.erase(k);
    else
      env[k] = v;
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

// stdout/stderr on pipes, stdin from /dev/null.
int spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, const std::string& cwd,
          int& out_fd, int& err_fd) {
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null < 0) {
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    throw std::runtime_error("cannot open /dev/null");
  }
  int fds[3] = {null, out[1], err[1]};
  int pid = -1;
  try {
    pid = spawn_process(argv, env, fds, cwd);
  } catch (...) {
    for (int fd : {null, out[0], out[1], err[0], err[1]}) ::close(fd);
    throw;
  }
  for (int fd : {null, out[1], err[1]}) ::close(fd);
  out_fd = out[0];
  err_fd = err[0];
  return pid;
}

int decode(int status) { return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status); }

// Waits for our own child with a bound, through a pidfd.
bool wait_child(int pid, int& status, std::chrono::steady_clock::time_point deadline) {
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd >= 0) {
    pollfd p{fd, POLLIN, 0};
    int r;
    while ((r = ::poll(&p, 1, ms_left(deadline))) < 0 && errno == EINTR) {
    }
    ::close(fd);
    if (r == 0) return false;
  }
  return ::waitpid(pid, &status, 0) == pid;
}

}  // namespace

int spawn_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                  const int (&fds)[3], const std::string& cwd) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  for (int i = 0; i < 3; ++i)
    if (fds[i] >= 0) posix_spawn_file_actions_adddup2(&fa, fds[i], i);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  std::vector<std::string> envs = merged_env(env);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const auto& e : envs) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, cargv[0], &fa, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("posix_spawn " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "pptest.XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

RunResult run_program(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                      std::chrono::milliseconds bound, const std::string& cwd) {
  RunResult r;
  int out_fd, err_fd;
  int pid = spawn(argv, env, cwd, out_fd, err_fd);
  auto deadline = std::chrono::steady_clock::now() + bound;
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open = 2;
  char buf[65536];
  while (open > 0) {
    int n = ::poll(fds, 2, ms_left(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(got));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int status = 0;
  if (!wait_child(pid, status, r.timed_out ? std::chrono::steady_clock::now() + 10s : deadline)) {
    r.timed_out = true;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  r.exit_code = decode(status);
  return r;
}

Server::Server(std::vector<std::string> extra_args, std::map<std::string, std::string> env) : data_dir_(dir_.path()) {
  launch(std::move(extra_args), std::move(env));
}

Server::Server(OnDataDir data_dir, std::vector<std::string> extra_args, std::map<std::string, std::string> env)
    : data_dir_(std::move(data_dir.path)) {
  launch(std::move(extra_args), std::move(env));
}

void Server::launch(std::vector<std::string> extra_args, std::map<std::string, std::string> env) {
  // PP_SERVER_BIN: another build's binary, for benchmarks run side by side.
  const char* other = std::getenv("PP_SERVER_BIN");
  std::vector<std::string> argv = {other && *other ? other : kBin, "serve", "--port", "0", "--data-dir", data_dir_};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  for (const char* v : {"PERSISTPROC_PORT", "PERSISTPROC_FORMAT", "PERSISTPROC_TOKEN", "PERSISTPROC_NO_AUTH"})
    env.emplace(v, "");
  pid_ = spawn(argv, env, "", out_fd_, err_fd_);
  // Read stdout until the readiness line: the server is ready exactly then.
  auto deadline = std::chrono::steady_clock::now() + 30s;
  char buf[4096];
  while (true) {
    if (auto port = readiness_port(stdout_)) {
      port_ = *port;
      break;
    }
    pollfd p{out_fd_, POLLIN, 0};
    int n = ::poll(&p, 1, ms_left(deadline));
    if (n < 0 && errno == EINTR) continue;
    ssize_t got = n > 0 ? ::read(out_fd_, buf, sizeof buf) : -1;
    if (got <= 0) {
      std::string err = read_stderr();
      ::kill(pid_, SIGKILL);
      int st;
      ::waitpid(pid_, &st, 0);
      pid_ = -1;
      throw std::runtime_error("server did not become ready: " + stdout_ + err);
    }
    stdout_.append(buf, static_cast<std::size_t>(got));
  }
}

Server::~Server() {
  if (pid_ > 0) {
    int status;
    ::kill(pid_, SIGTERM);
    if (!wait_child(pid_, status, std::chrono::steady_clock::now() + 30s)) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

RunResult Server::cli(std::vector<std::string> args, std::map<std::string, std::string> env,
                      const std::string& cwd) const {
  args.insert(args.begin(), kBin);
  env.emplace("PERSISTPROC_PORT", std::to_string(port_));
  env.emplace("PERSISTPROC_DATA_DIR", data_dir_);
  env.emplace("PERSISTPROC_FORMAT", "");
  env.emplace("PERSISTPROC_TOKEN", "");
  return run_program(args, env, 60s, cwd);
}

std::string Server::token() const {
  std::string t = read_file(data_dir_ + "/token");
  while (!t.empty() && t.back() == '\n') t.pop_back();
  return t;
}

int Server::wait_exit(std::chrono::milliseconds bound) {
  int status = 0;
  if (!wait_child(pid_, status, std::chrono::steady_clock::now() + bound)) return -1000;
  pid_ = -1;
  return decode(status);
}

int Server::terminate(std::chrono::milliseconds bound) {
  ::kill(pid_, SIGTERM);
  return wait_exit(bound);
}

void Server::crash() {
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void Server::crash_unreaped() {
  ::kill(pid_, SIGKILL);
  siginfo_t info{};
  ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT);  // dead, still a zombie
}

std::string Server::read_stderr() {
  std::string out;
  char buf[4096];
  int fl = ::fcntl(err_fd_, F_GETFL);
  ::fcntl(err_fd_, F_SETFL, fl | O_NONBLOCK);
  ssize_t n;
  while ((n = ::read(err_fd_, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

LoopbackListener::LoopbackListener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("cannot listen on loopback");
  port_ = ntohs(a.sin_port);
}

LoopbackListener::~LoopbackListener() {
  if (fd_ >= 0) ::close(fd_);
}

SessionChild::SessionChild(const std::vector<std::string>& actions) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  std::vector<std::string> argv = {kHelper};
  argv.insert(argv.end(), actions.begin(), actions.end());
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, cargv[0], &fa, &attr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    throw std::runtime_error(std::string("posix_spawn helper: ") + std::strerror(rc));
  }
  pid_ = pid;
  out_fd_ = out[0];
}

SessionChild::~SessionChild() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
}

bool SessionChild::await_line(const std::string& line, std::chrono::milliseconds bound) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  char buf[4096];
  for (;;) {
    if (("\n" + out_).find("\n" + line + "\n") != std::string::npos) return true;
    pollfd p{out_fd_, POLLIN, 0};
    int n = ::poll(&p, 1, ms_left(deadline));
    if (n < 0 && errno == EINTR) continue;
    ssize_t got = n > 0 ? ::read(out_fd_, buf, sizeof buf) : -1;
    if (got <= 0) return false;
    out_.append(buf, static_cast<std::size_t>(got));
  }
}

std::string read_file(const std::string& path) {
  // Plain read(): a /proc file of a process that dies meanwhile fails with ESRCH,
  // which some stream paths (istreambuf_iterator) would throw out of the test.
  std::string content;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return content;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR);)
    if (n > 0) content.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return content;
}

bool await_file_contains(const std::string& path, const std::string& needle, std::chrono::milliseconds bound) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  int in = ::inotify_init1(IN_CLOEXEC);
  std::string dir = std::filesystem::path(path).parent_path().string();
  ::inotify_add_watch(in, dir.c_str(), IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO);
  bool found = false;
  char buf[4096];
  while (true) {
    // Watch first, then look: a write between the two still wakes us.
    if (read_file(path).find(needle) != std::string::npos) {
      found = true;
      break;
    }
    pollfd p{in, POLLIN, 0};
    int n = ::poll(&p, 1, ms_left(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    ssize_t ignored = ::read(in, buf, sizeof buf);
    (void)ignored;
  }
  ::close(in);
  return found;
}

std::string make_test_cgroup() {
  std::ifstream mounts("/proc/self/mountinfo");
  std::string mount;
  for (std::string line; std::getline(mounts, line);) {
    auto dash = line.find(" - cgroup2 ");
    if (dash == std::string::npos) continue;
    std::istringstream fields(line.substr(0, dash));
    std::string id, parent, dev, root;
    if (fields >> id >> parent >> dev >> root >> mount && root == "/") break;
    mount.clear();
  }
  if (mount.empty()) return "";
  std::ifstream self("/proc/self/cgroup");
  std::string own;
  for (std::string line; std::getline(self, line);)
    if (line.rfind("0::", 0) == 0) own = line.substr(3);
  std::string dir = mount + (own == "/" ? "" : own) + "/pp-test-" + std::to_string(::getpid());
  return ::mkdir(dir.c_str(), 0755) == 0 ? dir : "";
}

bool await_pid_exit(int pid, std::chrono::milliseconds bound) {
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return true;
  pollfd p{fd, POLLIN, 0};
  int r;
  while ((r = ::poll(&p, 1, static_cast<int>(bound.count()))) < 0 && errno == EINTR) {
  }
  ::close(fd);
  return r > 0;
}

bool pid_alive(int pid) {
  std::string content = read_file("/proc/" + std::to_string(pid) + "/stat");  // "" once it is gone
  if (content.empty()) return false;
  auto close = content.rfind(')');
  if (close == std::string::npos || close + 2 >= content.size()) return false;
  char state = content[close + 2];
  return state != 'Z' && state != 'X';
}

}  // namespace pp::test
