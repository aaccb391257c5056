#include "os/cgroup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/eintr.hpp"

namespace pp::os {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// mountinfo escapes blanks and backslashes in paths as \ooo.
std::string unescape(std::string_view s) {
  auto octal = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && octal(s[i + 1]) && octal(s[i + 2]) && octal(s[i + 3])) {
      out.push_back(static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool delegate_mark(const std::string& dir) {
  for (const char* name : {"trusted.delegate", "user.delegate"}) {
    char value[8] = {};
    ssize_t n = ::getxattr(dir.c_str(), name, value, sizeof value - 1);
    if (n == 1 && value[0] == '1') return true;
  }
  return false;
}

bool write_text(const std::string& path, const char* text) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return false;
  std::size_t len = std::strlen(text);
  return retry_eintr([&] { return ::write(fd.get(), text, len); }) == static_cast<ssize_t>(len);
}

template <class F>
void each_child_cgroup(const std::string& dir, F f) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    if (e->d_type != DT_DIR || e->d_name[0] == '.') continue;
    f(std::string(e->d_name));
  }
  ::closedir(d);
}

}  // namespace

std::string cgroup_dir_of(std::string_view proc_cgroup, std::string_view mountinfo) {
  // The v2 line is "0::<path>".
  std::string path;
  std::istringstream lines{std::string(proc_cgroup)};
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("0::", 0) == 0) path = line.substr(3);
  if (path.empty() || path == "/") return "";
  // mountinfo: id parent major:minor root mount-point options [tags...] - fstype source super-options
  std::istringstream mounts{std::string(mountinfo)};
  for (std::string line; std::getline(mounts, line);) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
    std::istringstream fields(line.substr(0, dash));
    std::string id, parent, dev, root, point;
    if (!(fields >> id >> parent >> dev >> root >> point)) continue;
    root = unescape(root);
    point = unescape(point);
    if (root == "/") return point + path;
    if (path == root) return point;
    if (path.rfind(root + "/", 0) == 0) return point + path.substr(root.size());
  }
  return "";
}

std::string cgroup_dir_of_pid(int pid) {
  return cgroup_dir_of(read_all("/proc/" + std::to_string(pid) + "/cgroup"), read_all("/proc/self/mountinfo"));
}

std::string delegated_cgroup() {
  std::string dir = cgroup_dir_of(read_all("/proc/self/cgroup"), read_all("/proc/self/mountinfo"));
  if (dir.empty()) return "";
  if (delegate_mark(dir)) return dir;
  struct stat st {};
  uid_t me = ::geteuid();
  if (me != 0 && ::stat(dir.c_str(), &st) == 0 && st.st_uid == me && ::access(dir.c_str(), W_OK) == 0 &&
      ::access((dir + "/cgroup.procs").c_str(), W_OK) == 0)
    return dir;
  return "";
}

std::string make_cgroup(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0) return "";
  return "cannot create cgroup " + dir + ": " + std::strerror(errno);
}

UniqueFd open_cgroup_procs(const std::string& dir) {
  return UniqueFd(::open((dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
}

bool enter_cgroup(int fd) {
  // GCOVR_EXCL_START  the forked child
  return ::write(fd, "0", 1) == 1;  // 0: the writing process
  // GCOVR_EXCL_STOP
}

std::vector<int> cgroup_procs(const std::string& dir) {
  std::vector<int> out;
  std::ifstream in(dir + "/cgroup.procs");
  for (int pid; in >> pid;) out.push_back(pid);
  each_child_cgroup(dir, [&](const std::string& name) {
    auto more = cgroup_procs(dir + "/" + name);
    out.insert(out.end(), more.begin(), more.end());
  });
  return out;
}

bool kill_cgroup(const std::string& dir) { return write_text(dir + "/cgroup.kill", "1"); }

void remove_cgroup(const std::string& dir) {
  each_child_cgroup(dir, [&](const std::string& name) { remove_cgroup(dir + "/" + name); });
  ::rmdir(dir.c_str());
}

void remove_stale_cgroups(const std::string& dir, const std::string& prefix) {
  each_child_cgroup(dir, [&](const std::string& name) {
    if (name.rfind(prefix, 0) == 0) remove_cgroup(dir + "/" + name);
  });
}

}  // namespace pp::os
