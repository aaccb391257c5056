#include "core/port_owner.hpp"

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

struct Listening {
  int port;
  std::string inode;
};

// Every listening TCP socket, from /proc/net/tcp{,6}.
std::vector<Listening> listening_sockets() {
  std::vector<Listening> out;
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
      out.push_back({static_cast<int>(std::strtol(local.c_str() + colon + 1, nullptr, 16)), inode});
    }
  }
  return out;
}

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

std::vector<int> listening_pids(int port) {
  std::vector<std::string> wanted;
  for (const auto& l : listening_sockets())
    if (l.port == port) wanted.push_back("socket:[" + l.inode + "]");
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

std::vector<int> listening_ports(const std::vector<int>& pids) {
  std::set<std::string> links;
  for (int pid : pids) links.merge(socket_links(pid));
  std::set<int> ports;
  if (!links.empty())
    for (const auto& l : listening_sockets())
      if (links.count("socket:[" + l.inode + "]")) ports.insert(l.port);
  return {ports.begin(), ports.end()};
}

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
