// Shared test tools. Every wait here awaits an event (pipe data, inotify, pidfd,
// a coroutine finishing); the timeouts are failure bounds only.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pp::test {

using namespace std::chrono_literals;

inline const std::string kBin = PP_BIN;
inline const std::string kHelper = PP_HELPER;

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// posix_spawnp with `env` laid over this process's environment (an empty value
// removes a variable); fds[i] >= 0 becomes descriptor i of the child, -1 leaves
// it inherited. A bare program name is searched in this process's PATH, not in
// `env`'s. Throws when the program cannot be started.
int spawn_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                  const int (&fds)[3], const std::string& cwd = "");

struct RunResult {
  int exit_code = -1;  // -signal when killed by one
  std::string out, err;
  bool timed_out = false;
};

// Runs a program to completion. `env` entries are laid over this process's
// environment (an empty value removes the variable).
RunResult run_program(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                      std::chrono::milliseconds bound = 60s, const std::string& cwd = "");

// `persistproc serve --port 0` on a fresh data dir; the port comes from the readiness line.
class Server {
 public:
  // `env` is laid over the server's environment (an empty value removes a variable).
  explicit Server(std::vector<std::string> extra_args = {}, std::map<std::string, std::string> env = {});
  // On a data dir the caller keeps (a second server on a first one's data).
  struct OnDataDir {
    explicit OnDataDir(const TempDir& dir) : path(dir.path()) {}
    // A path that may not exist yet (the server creates it).
    static OnDataDir at(std::string dir) { return OnDataDir(std::move(dir), 0); }
    std::string path;

   private:
    OnDataDir(std::string dir, int) : path(std::move(dir)) {}
  };
  explicit Server(OnDataDir data_dir, std::vector<std::string> extra_args = {},
                  std::map<std::string, std::string> env = {});
  ~Server();
  int port() const { return port_; }
  int pid() const { return pid_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& banner() const { return stdout_; }
  // The bearer token the server created in its data dir ("" with --no-auth).
  std::string token() const;
  // Runs the CLI against this server.
  RunResult cli(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                const std::string& cwd = "") const;
  // SIGTERM, then wait for exit; returns the exit code.
  int terminate(std::chrono::milliseconds bound = 30s);
  // SIGKILL, as a crash would end it (no shutdown runs); returns once it is reaped.
  void crash();
  // SIGKILL, and left unreaped: a zombie until this object goes (its parent, a
  // supervisor, has not called wait yet). Returns once it has died.
  void crash_unreaped();
  bool alive() const { return pid_ > 0; }
  // Waits for the server process to exit by itself; returns its exit code.
  int wait_exit(std::chrono::milliseconds bound = 30s);
  std::string read_stderr();

 private:
  void launch(std::vector<std::string> extra_args, std::map<std::string, std::string> env);

  TempDir dir_;
  std::string data_dir_;
  int pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1, err_fd_ = -1;
  std::string stdout_;
};

// A TCP socket listening on a free loopback port, held by this test process.
class LoopbackListener {
 public:
  LoopbackListener();
  ~LoopbackListener();
  int fd() const { return fd_; }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// The test helper run by the test itself in a session of its own, so that it leads
// a process group as a managed process does. Killed and reaped at the end.
class SessionChild {
 public:
  explicit SessionChild(const std::vector<std::string>& actions);
  ~SessionChild();
  int pid() const { return pid_; }
  // Reads its stdout until a whole line equals `line`; false at end of output or time-out.
  bool await_line(const std::string& line, std::chrono::milliseconds bound = 20s);

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  std::string out_;
};

// Waits (inotify) until the file exists and contains `needle`.
bool await_file_contains(const std::string& path, const std::string& needle, std::chrono::milliseconds bound = 20s);
std::string read_file(const std::string& path);

// A fresh cgroup v2 directory under this process's own cgroup (under the cgroup2
// mount itself when ours is the root), or "" when none can be made here (no v2
// hierarchy, or not root and not delegated). Remove it with os::remove_cgroup.
std::string make_test_cgroup();

// Waits (pidfd) until the process has exited; true if it did within the bound.
bool await_pid_exit(int pid, std::chrono::milliseconds bound = 20s);
// Alive and not a zombie.
bool pid_alive(int pid);

// Runs `aw` on `ioc` until it completes; throws if it takes longer than `bound`.
template <class T>
T run_co(boost::asio::io_context& ioc, boost::asio::awaitable<T> aw, std::chrono::milliseconds bound = 30s) {
  auto fut = boost::asio::co_spawn(ioc, std::move(aw), boost::asio::use_future);
  auto deadline = std::chrono::steady_clock::now() + bound;
  ioc.restart();
  while (fut.wait_for(0s) != std::future_status::ready) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= 0s) throw std::runtime_error("run_co: coroutine did not finish within the bound");
    ioc.run_one_for(left);
  }
  return fut.get();
}

}  // namespace pp::test
