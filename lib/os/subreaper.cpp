#include "os/subreaper.hpp"

#include <dirent.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "core/eintr.hpp"

namespace pp::os {

bool become_subreaper() { return ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; }

bool is_subreaper() {
  int on = 0;
  return ::prctl(PR_GET_CHILD_SUBREAPER, &on, 0, 0, 0) == 0 && on != 0;
}

namespace {
// Where the kernel lacks CONFIG_PROC_CHILDREN: every process whose parent is us.
std::vector<int> children_by_scan(int self) {
  std::vector<int> out;
  DIR* d = ::opendir("/proc");
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/") + e->d_name + "/stat");
    std::string text;
    if (!std::getline(in, text)) continue;
    auto close = text.rfind(')');
    int ppid = 0;
    char state = 0;
    if (close != std::string::npos && std::sscanf(text.c_str() + close + 1, " %c %d", &state, &ppid) == 2 &&
        ppid == self)
      out.push_back(std::atoi(e->d_name));
  }
  ::closedir(d);
  return out;
}
}  // namespace

std::vector<int> own_children() {
  std::vector<int> out;
  DIR* d = ::opendir("/proc/self/task");
  if (!d) return children_by_scan(::getpid());
  bool readable = false;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/children");
    if (!in) continue;
    readable = true;
    for (int pid; in >> pid;) out.push_back(pid);
  }
  ::closedir(d);
  return readable ? out : children_by_scan(::getpid());
}

bool reap_if_ended(int pid) {
  int status = 0;
  return retry_eintr([&] { return ::waitpid(pid, &status, WNOHANG); }) == pid;
}

}  // namespace pp::os
