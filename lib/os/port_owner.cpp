#include "os/port_owner.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>

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

ListeningSockets listening_sockets() {
  ListeningSockets out;
  for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
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
