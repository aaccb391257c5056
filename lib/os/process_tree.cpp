#include "os/process_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace pp::os {

std::optional<ProcInfo> proc_info(int pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/stat";
  FILE* file = std::fopen(path.c_str(), "re");
  if (!file) return std::nullopt;
  char buf[1024];
  size_t n = std::fread(buf, 1, sizeof buf - 1, file);
  std::fclose(file);
  buf[n] = '\0';
  // Fields after the parenthesised command: state(3) ppid(4) pgrp(5) ... starttime(22).
  const char* close = std::strrchr(buf, ')');
  if (!close) return std::nullopt;
  char state = 0;
  ProcInfo p;
  unsigned long long start = 0;
  if (std::sscanf(close + 1, " %c %d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &state,
                  &p.ppid, &p.pgrp, &start) != 4)
    return std::nullopt;
  if (state == 'Z' || state == 'X') return std::nullopt;
  p.pid = pid;
  p.start_ticks = start;
  return p;
}

std::vector<ProcInfo> live_processes() {
  std::vector<ProcInfo> out;
  DIR* d = ::opendir("/proc");
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    if (auto p = proc_info(std::atoi(e->d_name))) out.push_back(*p);
  }
  ::closedir(d);
  return out;
}

std::vector<ProcInfo> subtrees(const std::vector<ProcInfo>& procs, const std::vector<int>& roots) {
  std::unordered_map<int, std::vector<const ProcInfo*>> children;
  std::unordered_map<int, const ProcInfo*> by_pid;
  for (const auto& p : procs) {
    children[p.ppid].push_back(&p);
    by_pid[p.pid] = &p;
  }
  std::vector<ProcInfo> out;
  std::unordered_set<int> seen;
  std::vector<int> todo;
  for (int r : roots)
    if (by_pid.count(r) && seen.insert(r).second) todo.push_back(r);
  while (!todo.empty()) {
    int pid = todo.back();
    todo.pop_back();
    out.push_back(*by_pid[pid]);
    for (const ProcInfo* c : children[pid])
      if (seen.insert(c->pid).second) todo.push_back(c->pid);
  }
  return out;
}

namespace {

// Appends the pids of one `children` file (space-separated) to `out`.
bool read_children_file(const std::string& path, std::vector<int>& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[4096];
  std::string text;
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  int pid = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      pid = pid * 10 + (c - '0');
    } else if (pid > 0) {
      out.push_back(pid);
      pid = 0;
    }
  }
  if (pid > 0) out.push_back(pid);
  return true;
}

}  // namespace

std::optional<std::vector<int>> children_of(int pid) {
  std::string task = "/proc/" + std::to_string(pid) + "/task";
  DIR* d = ::opendir(task.c_str());
  if (!d) return std::nullopt;
  std::vector<int> out;
  bool readable = false;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    readable = read_children_file(task + "/" + e->d_name + "/children", out) || readable;
  }
  ::closedir(d);
  if (!readable) return std::nullopt;
  return out;
}

std::vector<int> tree_of(int root) {
  std::vector<int> out;
  std::unordered_set<int> seen{root};
  std::vector<int> todo{root};
  while (!todo.empty()) {
    int pid = todo.back();
    todo.pop_back();
    auto kids = children_of(pid);
    if (!kids) {
      if (pid != root) continue;  // ended since its parent listed it
      if (::access(("/proc/" + std::to_string(root)).c_str(), F_OK) != 0) return {};
      // No children files on this kernel: the whole-machine pass.
      std::vector<int> all;
      for (const auto& p : subtrees(live_processes(), {root})) all.push_back(p.pid);
      return all;
    }
    out.push_back(pid);
    for (int k : *kids)
      if (seen.insert(k).second) todo.push_back(k);
  }
  return out;
}

}  // namespace pp::os
