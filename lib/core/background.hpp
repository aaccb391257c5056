// A coroutine that runs on its own, awaited by nobody: an exception that ends it
// is logged under its purpose instead of being lost, and what it works on is
// kept alive until it ends.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>

namespace pp {

// Starts `task` on `ex` and returns at once. `purpose` names it in the server log
// ("reading stdout of PID 12 (web)"); `keep_alive` is held until the task has ended.
void run_in_background(const boost::asio::any_io_executor& ex, boost::asio::awaitable<void> task,
                       std::string purpose, std::shared_ptr<const void> keep_alive);

}  // namespace pp
