#include "core/join.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <cstddef>
#include <memory>

#include "core/event.hpp"
#include "core/logger.hpp"

namespace pp {

namespace asio = boost::asio;

asio::awaitable<void> join_all(std::vector<asio::awaitable<void>> tasks, std::string purpose) {
  if (tasks.empty()) co_return;
  auto ex = co_await asio::this_coro::executor;
  auto remaining = std::make_shared<std::size_t>(tasks.size());
  auto all_done = std::make_shared<Event>(ex);
  for (auto& task : tasks)
    asio::co_spawn(ex, std::move(task), [remaining, all_done, purpose](std::exception_ptr e) {
      logger::failure(purpose, e);
      if (--*remaining == 0) all_done->set();
    });
  co_await all_done->wait();
}

}  // namespace pp
