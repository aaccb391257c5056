#include "core/background.hpp"

#include <boost/asio/co_spawn.hpp>

#include "core/logger.hpp"

namespace pp {

void run_in_background(const boost::asio::any_io_executor& ex, boost::asio::awaitable<void> task,
                       std::string purpose, std::shared_ptr<const void> keep_alive, OnEnd on_end) {
  boost::asio::co_spawn(ex, std::move(task),
                        [purpose = std::move(purpose), keep_alive = std::move(keep_alive),
                         on_end = std::move(on_end)](std::exception_ptr e) {
                          if (std::string failure = logger::failure(purpose, e); !failure.empty() && on_end.failed)
                            on_end.failed(failure);
                          if (on_end.ended) on_end.ended();
                        });
}

}  // namespace pp
