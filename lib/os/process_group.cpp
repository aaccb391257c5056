#include "os/process_group.hpp"

#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "os/pidfd.hpp"
#include "os/process_tree.hpp"

namespace pp {

namespace asio = boost::asio;

std::vector<int> group_members(int pgid) {
  std::vector<int> out;
  for (const auto& p : os::live_processes())
    if (p.pgrp == pgid) out.push_back(p.pid);
  return out;
}

asio::awaitable<bool> await_exit(asio::any_io_executor ex, std::vector<int> pids,
                                 std::chrono::steady_clock::time_point deadline) {
  std::vector<os::PinnedProcess> procs;
  for (int pid : pids)
    if (UniqueFd fd = os::open_pidfd(pid)) procs.push_back({pid, std::move(fd)});  // else already gone
  co_return co_await await_exit(std::move(ex), std::move(procs), deadline);
}

asio::awaitable<bool> await_exit(asio::any_io_executor ex, std::vector<os::PinnedProcess> procs,
                                 std::chrono::steady_clock::time_point deadline) {
  using namespace asio::experimental::awaitable_operators;
  for (auto& p : procs) {
    asio::posix::stream_descriptor pidfd(ex, p.fd.release());
    asio::steady_timer timer(ex, deadline);
    // Only readiness is awaited here (no data is consumed), so losing the race is harmless.
    auto r = co_await (pidfd.async_wait(asio::posix::descriptor_base::wait_read, asio::as_tuple(asio::use_awaitable)) ||
                       timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (r.index() == 1) co_return false;
  }
  co_return true;
}

}  // namespace pp
