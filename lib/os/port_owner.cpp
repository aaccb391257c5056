#include "os/port_owner.hpp"

#include <dirent.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>

#include "core/eintr.hpp"

namespace pp {

namespace {

// The "socket:[inode]" targets of a process's descriptors.
std::set<std::string> socket_links(int pid) {
  std::set<std::string> out;
  std::string fd_dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* fds = ::opendir(fd_dir.c_str());
  if (!fds) return out;
  while (dirent* f = ::readdir(fds)) {
    char target[256];
    ssize_t n = ::readlink((fd_dir + "/" + f->d_name).c_str(), target, sizeof target - 1);
    if (n <= 0) continue;
    target[n] = '\0';
    if (std::string_view(target).starts_with("socket:[")) out.emplace(target);
  }
  ::closedir(fds);
  return out;
}

}  // namespace

namespace {

// Asks the kernel for the listening TCP sockets of one address family through
// NETLINK_SOCK_DIAG with only the LISTEN state set, as `ss -l` does. Reading
// /proc/net/tcp instead makes the kernel walk its whole TCP hash table, whose
// size follows the machine's memory, not its sockets: that walk was most of
// `list`'s cost. False when netlink is not available (then /proc is read).
bool diag_listening(int family, ListeningSockets& out) {
  int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return false;
  struct {
    nlmsghdr nlh;
    inet_diag_req_v2 req;
  } msg{};
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.req.sdiag_family = static_cast<std::uint8_t>(family);
  msg.req.sdiag_protocol = IPPROTO_TCP;
  msg.req.idiag_states = 1U << TCP_LISTEN;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd, &msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) {
    ::close(fd);
    return false;
  }
  alignas(nlmsghdr) char buf[32 * 1024];
  bool ok = false, done = false;
  while (!done) {
    ssize_t n = retry_eintr([&] { return ::recv(fd, buf, sizeof buf, 0); });
    if (n <= 0) break;
    int left = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type == NLMSG_DONE) {
        ok = done = true;
        break;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        done = true;
        break;
      }
      auto* d = reinterpret_cast<const inet_diag_msg*>(NLMSG_DATA(h));
      out["socket:[" + std::to_string(d->idiag_inode) + "]"] = ntohs(d->id.idiag_sport);
    }
  }
  ::close(fd);
  return ok;
}

void proc_net_listening(const char* file, ListeningSockets& out) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string sl, local, remote, state, queues, timer, retr, uid, timeout, inode;
    f >> sl >> local >> remote >> state >> queues >> timer >> retr >> uid >> timeout >> inode;
    auto colon = local.rfind(':');
    if (colon == std::string::npos || state != "0A") continue;
    out["socket:[" + inode + "]"] = static_cast<int>(std::strtol(local.c_str() + colon + 1, nullptr, 16));
  }
}

}  // namespace

ListeningSockets listening_sockets() {
  ListeningSockets out;
  if (!diag_listening(AF_INET, out)) proc_net_listening("/proc/net/tcp", out);
  if (!diag_listening(AF_INET6, out)) proc_net_listening("/proc/net/tcp6", out);
  return out;
}

std::vector<int> listening_pids(int port) {
  std::vector<std::string> wanted;
  for (const auto& [link, p] : listening_sockets())
    if (p == port) wanted.push_back(link);
  std::vector<int> pids;
  if (wanted.empty()) return pids;
  DIR* proc = ::opendir("/proc");
  if (!proc) return pids;
  while (dirent* e = ::readdir(proc)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    auto links = socket_links(std::atoi(e->d_name));
    if (std::any_of(wanted.begin(), wanted.end(), [&](const auto& w) { return links.count(w) > 0; }))
      pids.push_back(std::atoi(e->d_name));
  }
  ::closedir(proc);
  return pids;
}

std::vector<int> listening_ports(const std::vector<int>& pids, const ListeningSockets& sockets) {
  std::set<int> ports;
  for (int pid : pids)
    for (const auto& link : socket_links(pid))
      if (auto it = sockets.find(link); it != sockets.end()) ports.insert(it->second);
  return {ports.begin(), ports.end()};
}

std::vector<int> listening_ports(const std::vector<int>& pids) { return listening_ports(pids, listening_sockets()); }

std::string process_name(int pid) {
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

std::string process_exe_name(int pid) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
  return ec ? "" : exe.filename().string();
}

}  // namespace pp
