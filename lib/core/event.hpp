// A one-shot event that coroutines can await with a deadline, on one io_context.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <list>

namespace pp {

class Event {
 public:
  explicit Event(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  bool is_set() const { return set_; }

  // Wakes every waiter; later waits return at once.
  void set() {
    set_ = true;
    for (auto* t : waiters_) t->cancel();
  }

  // True when the event is set, false when `timeout` passed first.
  boost::asio::awaitable<bool> wait_for(std::chrono::steady_clock::duration timeout) {
    co_return co_await wait_until(std::chrono::steady_clock::now() + timeout);
  }

  boost::asio::awaitable<bool> wait_until(std::chrono::steady_clock::time_point deadline) {
    if (set_) co_return true;
    boost::asio::steady_timer timer(ex_, deadline);
    auto it = waiters_.insert(waiters_.end(), &timer);
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    waiters_.erase(it);
    co_return set_;
  }

  boost::asio::awaitable<void> wait() { co_await wait_until(std::chrono::steady_clock::time_point::max()); }

 private:
  boost::asio::any_io_executor ex_;
  bool set_ = false;
  std::list<boost::asio::steady_timer*> waiters_;
};

}  // namespace pp
