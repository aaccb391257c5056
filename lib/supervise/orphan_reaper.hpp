// Reaps the children the server adopts as a child subreaper (os/subreaper.hpp):
// orphans of managed processes, re-parented to it when their parent died. At
// start and on every SIGCHLD it reaps each child that has ended, except the
// leaders of instances, whose exit Boost.Process awaits and collects itself
// (Instance::watch_exit): waitpid on a named pid only, never on any child.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <memory>

namespace pp {

class OrphanReaper {
 public:
  // `awaited_elsewhere(pid)`: whether another part of the server waits for that child.
  OrphanReaper(const boost::asio::any_io_executor& ex, std::function<bool(int pid)> awaited_elsewhere);
  OrphanReaper(const OrphanReaper&) = delete;
  OrphanReaper& operator=(const OrphanReaper&) = delete;

  void start();
  // Reaps every child that has ended and is not awaited elsewhere.
  void reap_ended();

 private:
  boost::asio::awaitable<void> run();

  boost::asio::signal_set sigchld_;
  std::function<bool(int)> awaited_elsewhere_;
};

}  // namespace pp
