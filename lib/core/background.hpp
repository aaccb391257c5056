// A coroutine that runs on its own, awaited by nobody: an exception that ends it
// is logged under its purpose instead of being lost, whoever it worked for hears
// of it, and what it works on is kept alive until it ends. Every coroutine the
// server spawns goes through here (docs/architecture.md#background-coroutines).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>

namespace pp {

// What else happens when a background coroutine ends, on its executor.
struct OnEnd {
  // After an exception ended it, once logged: "<purpose>: <what>". An instance
  // notes it, so that `list` shows it.
  std::function<void(const std::string& failure)> failed;
  // After any end, by an exception or not (after `failed`).
  std::function<void()> ended;
};

// Starts `task` on `ex` and returns at once. `purpose` names it in the server log
// ("reading stdout of PID 12 (web)"); `keep_alive`, when set, is held until the
// task has ended.
void run_in_background(const boost::asio::any_io_executor& ex, boost::asio::awaitable<void> task,
                       std::string purpose, std::shared_ptr<const void> keep_alive = nullptr, OnEnd on_end = {});

}  // namespace pp
