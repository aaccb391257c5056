#include "server/systemd.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "core/env.hpp"

namespace pp::server {

namespace {
std::string& notify_socket() {
  static std::string path;
  return path;
}
int& listen_fd() {
  static int fd = -1;
  return fd;
}
}  // namespace

void take_systemd_environment() {
  if (auto n = env::get(env::Var::notify_socket)) notify_socket() = *n;
  auto fds = env::get(env::Var::listen_fds);
  auto pid = env::get(env::Var::listen_pid);
  if (fds && pid && std::atoi(pid->c_str()) == static_cast<int>(::getpid()) && std::atoi(fds->c_str()) >= 1) {
    listen_fd() = 3;  // SD_LISTEN_FDS_START
    ::fcntl(3, F_SETFD, FD_CLOEXEC);
  }
  for (const char* v : {"NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"}) ::unsetenv(v);
}

void sd_notify(const std::string& state) {
  const std::string& path = notify_socket();
  if (path.empty() || path.size() >= sizeof(sockaddr_un::sun_path)) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
  ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr), len);
  ::close(fd);
}

int activated_socket() { return listen_fd(); }

}  // namespace pp::server
