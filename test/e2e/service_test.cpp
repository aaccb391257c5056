// docs/service.md end to end: serve --detach, systemd readiness and socket activation,
// clear exits for a busy port or an unusable data dir.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/readiness.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

int port_of(const std::string& out) {
  return readiness_port(out).value_or(0);
}

std::map<std::string, std::string> clean_env() {
  return {{"PERSISTPROC_PORT", ""}, {"PERSISTPROC_TOKEN", ""}, {"PERSISTPROC_FORMAT", ""}};
}

// A detached server's pid, found through the CLI, so the test can stop it for sure.
struct Detached {
  std::string dir;
  int port = 0;
  ~Detached() {
    if (port) run_program({kBin, "shutdown", "--port", std::to_string(port), "--data-dir", dir}, clean_env());
  }
};

TEST(Service, DetachReturnsOnceReadyAndTheFirstCallSucceeds) {
  TempDir d;
  auto r = run_program({kBin, "serve", "--detach", "--port", "0", "--data-dir", d.path(), "-q"}, clean_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Detached server{d.path(), port_of(r.out)};
  ASSERT_GT(server.port, 0) << r.out;
  // No retry, no wait: exit 0 meant ready.
  auto l = run_program({kBin, "list", "--port", std::to_string(server.port), "--data-dir", d.path()}, clean_env());
  EXPECT_EQ(l.exit_code, 0) << l.err;
  EXPECT_EQ(l.out, "No processes running\n");
}

TEST(Service, DetachIsIdempotent) {
  TempDir d;
  auto first = run_program({kBin, "serve", "--detach", "--port", "0", "--data-dir", d.path(), "-q"}, clean_env());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  Detached server{d.path(), port_of(first.out)};
  auto again = run_program(
      {kBin, "serve", "--detach", "--port", std::to_string(server.port), "--data-dir", d.path(), "-q"}, clean_env());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already running on port " + std::to_string(server.port) + " (PID "), std::string::npos)
      << again.err;
  EXPECT_EQ(port_of(again.out), server.port);
}

TEST(Service, DetachOntoAPortHeldByAnotherProgramFailsClearly) {
  LoopbackListener held;
  TempDir d;
  auto r = run_program({kBin, "serve", "--detach", "--port", std::to_string(held.port()), "--data-dir", d.path()},
                       clean_env());
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("port " + std::to_string(held.port()) + " is already in use by pp_e2e_tests"), std::string::npos)
      << r.err;
}

TEST(Service, UnusableDataDirIsExitFive) {
  TempDir d;
  std::string file = d.path() + "/a-file";
  std::ofstream(file) << "x";
  auto r = run_program({kBin, "serve", "--port", "0", "--data-dir", file + "/sub"}, clean_env());
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("data directory unusable"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

TEST(Service, LogDirectoryOrTokenInTheWayIsExitFive) {
  TempDir a;
  std::ofstream(a.path() + "/process_logs") << "a file where the log directory goes";
  auto r = run_program({kBin, "serve", "--port", "0", "--data-dir", a.path()}, clean_env());
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("data directory unusable"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(a.path() + "/process_logs"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);

  TempDir b;
  std::filesystem::create_directory(b.path() + "/token");
  r = run_program({kBin, "serve", "--port", "0", "--data-dir", b.path()}, clean_env());
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("data directory unusable: cannot read " + b.path() + "/token"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  for (const auto& e : std::filesystem::directory_iterator(b.path()))  // no temporary token left behind
    EXPECT_EQ(e.path().filename().string().find("token.tmp"), std::string::npos) << e.path();
}

TEST(Service, BadFlagsAreExitTwo) {
  EXPECT_EQ(run_program({kBin, "serve", "--bogus"}, clean_env()).exit_code, 2);
  EXPECT_EQ(run_program({kBin, "serve", "--port", "99999"}, clean_env()).exit_code, 2);
  EXPECT_EQ(run_program({kBin, "serve"}, {{"PERSISTPROC_NO_AUTH", "yes"}}).exit_code, 2);
}

class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind notify socket");
  }
  ~NotifySocket() { ::close(fd_); }
  // Next datagram, or "" at the bound.
  std::string next(std::chrono::milliseconds bound = 20s) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(bound.count())) <= 0) return "";
    char buf[512];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  }

 private:
  std::string path_;
  int fd_;
};

TEST(Service, NotifySocketGetsReadyThenStoppingAndChildrenDoNotInheritIt) {
  TempDir d;
  NotifySocket sock(d.path() + "/notify");
  Server s({"-q"}, {{"NOTIFY_SOCKET", d.path() + "/notify"}});
  EXPECT_EQ(sock.next(), "READY=1\nMAINPID=" + std::to_string(s.pid()));
  auto r = s.cli({"start", "--format", "json", kHelper, "env:NOTIFY_SOCKET", "exit:0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string log = r.out.substr(r.out.find("\"log_combined\":\"") + 16);
  log = log.substr(0, log.find('"'));
  ASSERT_TRUE(await_file_contains(log, "[SYSTEM] Process exited"));
  EXPECT_NE(read_file(log).find("Z NOTIFY_SOCKET unset\n"), std::string::npos);
  ::kill(s.pid(), SIGTERM);
  EXPECT_EQ(sock.next(), "STOPPING=1");
  EXPECT_EQ(s.wait_exit(), 0);
}

TEST(Service, SocketActivationUsesTheInheritedListener) {
  LoopbackListener listener;
  int lfd = listener.fd(), port = listener.port();
  TempDir d;
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  if (pid == 0) {  // what systemd does: the socket as fd 3, LISTEN_PID = the server's pid
    ::dup2(out[1], 1);
    if (lfd == 3)  // dup2 onto itself would keep close-on-exec: the server would find no socket
      ::fcntl(3, F_SETFD, 0);
    else
      ::dup2(lfd, 3);
    std::string me = std::to_string(::getpid());
    ::setenv("LISTEN_FDS", "1", 1);
    ::setenv("LISTEN_PID", me.c_str(), 1);
    ::unsetenv("PERSISTPROC_PORT");
    ::execl(kBin.c_str(), kBin.c_str(), "serve", "-q", "--data-dir", d.path().c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string got;
  char buf[512];
  while (got.find('\n') == std::string::npos) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 20000) <= 0) break;
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  EXPECT_EQ(port_of(got), port) << got;
  auto r = run_program({kBin, "list", "--port", std::to_string(port), "--data-dir", d.path()}, clean_env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ::kill(pid, SIGTERM);
  EXPECT_TRUE(await_pid_exit(pid));
  int st = 0;
  ::waitpid(pid, &st, 0);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

}  // namespace
}  // namespace pp::test

namespace pp::test {
namespace {

TEST(Service, InstallPutsTheBinaryAUserUnitNamingItTheCompletionsAndTheManPage) {
  TempDir prefix;
  auto r = run_program({PP_CMAKE, "--install", PP_BUILD_DIR, "--prefix", prefix.path()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(::access((prefix.path() + "/bin/persistproc").c_str(), X_OK), 0);
  std::string unit = read_file(prefix.path() + "/lib/systemd/user/persistproc.service");
  EXPECT_NE(unit.find("ExecStart=" + prefix.path() + "/bin/persistproc serve"), std::string::npos) << unit;
  EXPECT_NE(unit.find("Type=notify"), std::string::npos);
  EXPECT_NE(unit.find("KillMode=mixed"), std::string::npos);
  EXPECT_NE(unit.find("Delegate=yes"), std::string::npos);  // a cgroup per managed process
  EXPECT_NE(unit.find("Restart=on-failure"), std::string::npos);
  // The completions and the man page, where each shell and man look.
  for (const char* f : {"/share/bash-completion/completions/persistproc", "/share/zsh/vendor-completions/_persistproc",
                        "/share/fish/vendor_completions.d/persistproc.fish", "/share/man/man1/persistproc.1"})
    EXPECT_FALSE(read_file(prefix.path() + f).empty()) << f;
  EXPECT_EQ(read_file(prefix.path() + "/share/bash-completion/completions/persistproc"),
            run_program({kBin, "completions", "bash"}).out);
}

}  // namespace
}  // namespace pp::test
