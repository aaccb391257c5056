#include "supervise/readiness_probe.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/logger.hpp"
#include "os/pidfd.hpp"
#include "supervise/http_check.hpp"

namespace pp {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

ProbeRunner::ProbeRunner(const asio::any_io_executor& ex, ReadinessProbe probe, EnvOverlay env)
    : ex_(ex), probe_(std::move(probe)), env_(std::move(env)), wake_(ex), progress_(ex) {}

std::string ProbeRunner::timed_out() const {
  return "timed out after " + std::to_string(probe_.timeout.count()) + " ms";
}

void ProbeRunner::stop() {
  stopped_ = true;
  if (check_pid_ > 0) ::killpg(check_pid_, SIGKILL);  // its own session: the group is its pid
  wake_.cancel();
}

asio::awaitable<bool> ProbeRunner::wait_until(std::chrono::steady_clock::time_point deadline) {
  if (stopped_) co_return false;
  wake_.expires_at(deadline);
  co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return !stopped_;
}

asio::awaitable<bool> ProbeRunner::run() {
  auto next = std::chrono::steady_clock::now() + probe_.initial_delay;
  for (;;) {
    if (!co_await wait_until(next)) co_return false;
    // The period counts from one check's start to the next one's.
    next = std::chrono::steady_clock::now() + probe_.period;
    // (No co_await inside ?: — g++ 12 mishandles it, docs/architecture.md#gcc-12.)
    std::string failure;
    if (probe_.exec)
      failure = co_await exec_once();
    else
      failure = co_await http_once();
    if (stopped_) co_return false;
    ++checks_;
    bool passed = failure.empty();
    if (!passed && failure != last_failure_) logger::debug("readiness check failed: " + failure);
    if (!passed) last_failure_ = std::move(failure);
    progress_.notify();
    if (passed) co_return true;
  }
}

asio::awaitable<std::string> ProbeRunner::exec_once() {
  SpawnRequest req;
  req.argv = probe_.exec->argv;
  req.cwd = probe_.exec->cwd;
  req.env = env_;
  req.null_stdio = true;
  SpawnOutcome sp = spawn_child(ex_, req);
  if (!sp.child) co_return sp.error;
  auto& proc = sp.child->proc;
  check_pid_ = proc.id();
  progress_.notify();
  std::string outcome;
  UniqueFd fd = os::open_pidfd(check_pid_);
  if (fd) {
    // The pidfd turns readable at the exit without reaping it, so the group id
    // stays ours until the strays of the group are killed below.
    asio::posix::stream_descriptor ended(ex_, fd.release());
    auto tuple = asio::as_tuple(asio::use_awaitable);
    wake_.expires_after(probe_.timeout);
    auto r = co_await (ended.async_wait(asio::posix::descriptor_base::wait_read, tuple) || wake_.async_wait(tuple));
    if (r.index() == 1) {
      outcome = stopped_ ? std::string("stopped") : timed_out();
      ::killpg(check_pid_, SIGKILL);
      co_await ended.async_wait(asio::posix::descriptor_base::wait_read, tuple);  // SIGKILL: it ends
    }
  } else {
    outcome = "cannot await the check's exit";
    ::killpg(check_pid_, SIGKILL);
  }
  ::killpg(check_pid_, SIGKILL);  // whatever it left in its group; the unreaped leader keeps the id ours
  boost::system::error_code ec;
  proc.wait(ec);
  int raw = proc.native_exit_code();
  proc.detach();  // reaped: the handle must forget the pid
  check_pid_ = 0;
  if (!outcome.empty()) co_return outcome;
  if (ec) co_return "cannot await the check's exit: " + ec.message();
  if (WIFEXITED(raw) && WEXITSTATUS(raw) == 0) co_return "";
  if (WIFSIGNALED(raw)) co_return "killed by signal " + std::to_string(WTERMSIG(raw));
  co_return "exit code " + std::to_string(WEXITSTATUS(raw));
}

asio::awaitable<std::string> ProbeRunner::http_once() {
  auto tuple = asio::as_tuple(asio::use_awaitable);
  wake_.expires_after(probe_.timeout);
  auto r = co_await (http_check(ex_, *probe_.http_get) || wake_.async_wait(tuple));
  std::string failure;
  if (r.index() == 0)
    failure = std::get<0>(std::move(r));
  else
    failure = stopped_ ? std::string("stopped") : timed_out();
  co_return failure;
}

}  // namespace pp
