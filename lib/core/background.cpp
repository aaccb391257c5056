#include "core/background.hpp"

#include <boost/asio/co_spawn.hpp>

#include "core/logger.hpp"

namespace pp {

void run_in_background(const boost::asio::any_io_executor& ex, boost::asio::awaitable<void> task,
                       std::string purpose, std::shared_ptr<const void> keep_alive) {
  boost::asio::co_spawn(ex, std::move(task),
                        [purpose = std::move(purpose), keep_alive = std::move(keep_alive)](std::exception_ptr e) {
                          logger::failure(purpose, e);
                        });
}

}  // namespace pp
