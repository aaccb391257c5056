#include "core/port_owner.hpp"

#include <dirent.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pp {

namespace {

// Inodes of listening sockets on `port`, from /proc/net/tcp{,6}.
std::vector<std::string> listening_inodes(int port) {
  std::vector<std::string> out;
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
      if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) out.push_back(inode);
    }
  }
  return out;
}

}  // namespace

std::vector<int> listening_pids(int port) {
  std::vector<int> pids;
  auto inodes = listening_inodes(port);
  if (inodes.empty()) return pids;
  DIR* proc = ::opendir("/proc");
  if (!proc) return pids;
  while (dirent* e = ::readdir(proc)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    std::string fd_dir = std::string("/proc/") + e->d_name + "/fd";
    DIR* fds = ::opendir(fd_dir.c_str());
    if (!fds) continue;
    bool holds = false;
    while (dirent* f = ::readdir(fds)) {
      char target[256];
      ssize_t n = ::readlink((fd_dir + "/" + f->d_name).c_str(), target, sizeof target - 1);
      if (n <= 0) continue;
      target[n] = '\0';
      for (const auto& inode : inodes) holds = holds || ("socket:[" + inode + "]" == target);
      if (holds) break;
    }
    ::closedir(fds);
    if (holds) pids.push_back(std::atoi(e->d_name));
  }
  ::closedir(proc);
  return pids;
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
