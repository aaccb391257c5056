// Awaitable notifications on one io_context: a Pulse wakes whoever waits now
// (e.g. "a line was appended"); an Event is a Pulse that stays set (e.g. "exited").
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <list>

namespace pp {

class Pulse {
 public:
  explicit Pulse(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}
  Pulse(const Pulse&) = delete;
  Pulse& operator=(const Pulse&) = delete;

  // Wakes every current waiter.
  void notify() {
    ++count_;
    for (auto* t : waiters_) t->cancel();
  }
  // How often it was notified: whoever keeps the last value it saw can tell
  // whether anything happened since, without waiting.
  std::uint64_t count() const { return count_; }

  // True when notified, false when `deadline` passed first.
  boost::asio::awaitable<bool> wait_until(std::chrono::steady_clock::time_point deadline) {
    boost::asio::steady_timer timer(ex_, deadline);
    auto it = waiters_.insert(waiters_.end(), &timer);
    auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    waiters_.erase(it);
    co_return ec == boost::asio::error::operation_aborted;
  }

 private:
  boost::asio::any_io_executor ex_;
  std::list<boost::asio::steady_timer*> waiters_;
  std::uint64_t count_ = 0;
};

class Event {
 public:
  explicit Event(boost::asio::any_io_executor ex) : pulse_(std::move(ex)) {}

  bool is_set() const { return set_; }
  void set() {
    set_ = true;
    pulse_.notify();
  }

  // True when the event is set, false when the time is up first.
  boost::asio::awaitable<bool> wait_until(std::chrono::steady_clock::time_point deadline) {
    while (!set_ && std::chrono::steady_clock::now() < deadline) co_await pulse_.wait_until(deadline);
    co_return set_;
  }
  boost::asio::awaitable<bool> wait_for(std::chrono::steady_clock::duration timeout) {
    co_return co_await wait_until(std::chrono::steady_clock::now() + timeout);
  }
  boost::asio::awaitable<void> wait() { co_await wait_until(std::chrono::steady_clock::time_point::max()); }

 private:
  Pulse pulse_;
  bool set_ = false;
};

}  // namespace pp
