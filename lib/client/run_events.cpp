#include "client/run_events.hpp"

#include <chrono>
#include <stdexcept>

#include "core/exit_codes.hpp"

namespace pp::client {

boost::asio::awaitable<RunEvent> Inbox::next() {
  while (queue_.empty()) co_await arrived_.wait_until(std::chrono::steady_clock::time_point::max());
  RunEvent event = std::move(queue_.front());
  queue_.pop_front();
  co_return event;
}

std::string failure_text(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return std::string("error: ") + ex.what();
  } catch (...) {
    return "error: unknown exception";
  }
}

void ToInbox::operator()(std::exception_ptr e) const {
  if (e) inbox->post(Failed{kExitFailed, failure_text(e)});
}

void ToInbox::operator()(std::exception_ptr e, RunEvent result) const {
  if (e)
    inbox->post(Failed{kExitFailed, failure_text(e)});
  else
    inbox->post(std::move(result));
}

}  // namespace pp::client
