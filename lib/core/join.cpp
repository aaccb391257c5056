#include "core/join.hpp"

#include <boost/asio/this_coro.hpp>
#include <cstddef>
#include <memory>

#include "core/background.hpp"
#include "core/event.hpp"

namespace pp {

namespace asio = boost::asio;

asio::awaitable<void> join_all(std::vector<asio::awaitable<void>> tasks, std::string purpose) {
  if (tasks.empty()) co_return;
  auto ex = co_await asio::this_coro::executor;
  auto remaining = std::make_shared<std::size_t>(tasks.size());
  auto all_done = std::make_shared<Event>(ex);
  OnEnd count_down;  // a named local, not a braced argument (docs/architecture.md#gcc-12)
  count_down.ended = [remaining, all_done] {
    if (--*remaining == 0) all_done->set();
  };
  for (auto& task : tasks) run_in_background(ex, std::move(task), purpose, nullptr, count_down);
  co_await all_done->wait();
}

}  // namespace pp
