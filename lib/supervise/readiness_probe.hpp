// A readiness probe's schedule (docs/stacks.md#readiness): after initial_delay, one
// check every period until a check passes or the runner is stopped. A check is a
// command (exec: exit 0 passes) or an HTTP GET (http_get: 200..399 passes), each
// bounded by the probe's timeout. failure_threshold is not used: the probe keeps
// trying until it passes or its process ends.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string>

#include "core/event.hpp"
#include "supervise/readiness.hpp"
#include "supervise/spawn.hpp"

namespace pp {

class ProbeRunner {
 public:
  // `env` is laid over the server's environment for an exec check's command.
  ProbeRunner(const boost::asio::any_io_executor& ex, ReadinessProbe probe, EnvOverlay env);
  ProbeRunner(const ProbeRunner&) = delete;
  ProbeRunner& operator=(const ProbeRunner&) = delete;

  // True once a check passed; false when stop() ended it first. Call once; the
  // runner must outlive the coroutine (its owner keeps both alive).
  boost::asio::awaitable<bool> run();
  // Ends run() soon: a check command still running is killed (SIGKILL to its
  // group) at once and reaped by run(); a wait ends.
  void stop();

  // The pid of the check command while one runs, else 0: a child of the server
  // that run() reaps (the orphan reaper must leave it alone).
  int check_pid() const { return check_pid_; }
  // Checks finished so far (each command reaped), and why the last one failed ("" when
  // none failed). `progress` is notified as a check command starts and after each check.
  int checks() const { return checks_; }
  Pulse& progress() { return progress_; }
  const std::string& last_failure() const { return last_failure_; }

 private:
  // One check; "" when it passed, else why not.
  boost::asio::awaitable<std::string> exec_once();
  boost::asio::awaitable<std::string> http_once();
  std::string timed_out() const;
  // Until `deadline`: false when stop() came first.
  boost::asio::awaitable<bool> wait_until(std::chrono::steady_clock::time_point deadline);

  boost::asio::any_io_executor ex_;
  ReadinessProbe probe_;
  EnvOverlay env_;
  boost::asio::steady_timer wake_;  // every wait's deadline; stop() cancels it
  bool stopped_ = false;
  int check_pid_ = 0;
  int checks_ = 0;
  std::string last_failure_;
  Pulse progress_;
};

}  // namespace pp
