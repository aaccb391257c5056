#include "supervise/orphan_reaper.hpp"

#include <signal.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/background.hpp"
#include "core/logger.hpp"
#include "os/subreaper.hpp"

namespace pp {

namespace asio = boost::asio;

OrphanReaper::OrphanReaper(const asio::any_io_executor& ex, std::function<bool(int)> awaited_elsewhere)
    : sigchld_(ex, SIGCHLD), awaited_elsewhere_(std::move(awaited_elsewhere)) {}

void OrphanReaper::start() {
  reap_ended();  // what ended before we listened
  run_in_background(sigchld_.get_executor(), run(), "reaping orphaned children");
}

void OrphanReaper::reap_ended() {
  for (int pid : os::own_children())
    if (!awaited_elsewhere_(pid) && os::reap_if_ended(pid)) logger::debug("reaped orphan PID " + std::to_string(pid));
}

asio::awaitable<void> OrphanReaper::run() {
  for (;;) {
    // SIGCHLDs coalesce: each wake-up reaps every child that has ended by then.
    auto [ec, sig] = co_await sigchld_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // the reaper is gone (touch nothing of it)
    reap_ended();
  }
}

}  // namespace pp
