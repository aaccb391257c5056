// Runs several coroutines at once and waits for all of them: the one fan-out and
// join (shutdown stops every group in parallel, recovery every left-over group).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

namespace pp {

// Starts every task at once and returns once each has finished. An awaitable
// does nothing until it is spawned, so the caller can build the list first. A
// task that throws is logged under `purpose` and counts as finished.
boost::asio::awaitable<void> join_all(std::vector<boost::asio::awaitable<void>> tasks, std::string purpose);

}  // namespace pp
