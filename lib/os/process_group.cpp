#include "os/process_group.hpp"

#include <dirent.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "os/pidfd.hpp"

namespace pp {

namespace asio = boost::asio;

namespace {
// Calls f(pid, pgrp) for every live (not zombie) process, from one pass over /proc.
template <class F>
void each_live_process(F f) {
  DIR* d = ::opendir("/proc");
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    std::string path = std::string("/proc/") + e->d_name + "/stat";
    FILE* file = std::fopen(path.c_str(), "re");
    if (!file) continue;
    char buf[512];
    size_t n = std::fread(buf, 1, sizeof buf - 1, file);
    std::fclose(file);
    buf[n] = '\0';
    // Fields after the parenthesised command: state ppid pgrp ...
    const char* close = std::strrchr(buf, ')');
    if (!close) continue;
    char state = 0;
    int ppid = 0, pgrp = 0;
    if (std::sscanf(close + 1, " %c %d %d", &state, &ppid, &pgrp) != 3) continue;
    if (state != 'Z' && state != 'X') f(std::atoi(e->d_name), pgrp);
  }
  ::closedir(d);
}
}  // namespace

std::vector<int> group_members(int pgid) {
  std::vector<int> out;
  each_live_process([&](int pid, int pgrp) {
    if (pgrp == pgid) out.push_back(pid);
  });
  return out;
}

std::map<int, std::vector<int>> live_groups() {
  std::map<int, std::vector<int>> out;
  each_live_process([&](int pid, int pgrp) { out[pgrp].push_back(pid); });
  return out;
}

asio::awaitable<bool> await_exit(asio::any_io_executor ex, std::vector<int> pids,
                                 std::chrono::steady_clock::time_point deadline) {
  using namespace asio::experimental::awaitable_operators;
  for (int pid : pids) {
    UniqueFd fd = os::open_pidfd(pid);
    if (!fd) continue;  // already gone
    asio::posix::stream_descriptor pidfd(ex, fd.release());
    asio::steady_timer timer(ex, deadline);
    // Only readiness is awaited here (no data is consumed), so losing the race is harmless.
    auto r = co_await (pidfd.async_wait(asio::posix::descriptor_base::wait_read, asio::as_tuple(asio::use_awaitable)) ||
                       timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (r.index() == 1) co_return false;
  }
  co_return true;
}

}  // namespace pp
