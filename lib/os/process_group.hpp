// A managed process's whole tree: it runs in its own session, so its process group
// id is its pid. These find the group's live members and await their exit.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <vector>

#include "os/pidfd.hpp"

namespace pp {

// Live (not zombie) processes whose process group is `pgid`, from /proc.
std::vector<int> group_members(int pgid);

// Waits until every process in `pids` has exited (pidfd readiness) or `deadline`.
// True when all are gone.
boost::asio::awaitable<bool> await_exit(boost::asio::any_io_executor ex, std::vector<int> pids,
                                        std::chrono::steady_clock::time_point deadline);
// The same for processes pinned earlier (a pidfd each), so none can be mistaken
// for a later process with its pid.
boost::asio::awaitable<bool> await_exit(boost::asio::any_io_executor ex, std::vector<os::PinnedProcess> procs,
                                        std::chrono::steady_clock::time_point deadline);

}  // namespace pp
