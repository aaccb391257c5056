// A few threads for work whose cost grows with its input (reading and searching
// logs, docs/architecture.md#worker-threads), so that the I/O thread stays free to
// serve every other client meanwhile. A job gets what it needs by value (copies,
// open descriptors) and touches nothing the I/O thread owns; its result comes back
// to the coroutine that awaits it, on that coroutine's own executor.
#pragma once
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace pp {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads);
  // Sets stopping(), drops the jobs not yet begun and waits for the running ones.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `job()` on a worker thread; the awaiting coroutine resumes on its own
  // executor with the result, or the exception the job threw. Jobs run in the
  // order given, as many at once as there are threads. Pass a named callable
  // (docs/architecture.md#gcc-12).
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F&>> run(F job) {
    using R = std::invoke_result_t<F&>;
    auto on_worker = [job = std::move(job)]() mutable -> boost::asio::awaitable<R> { co_return job(); };
    // co_spawn hands the result to the awaiting coroutine through that coroutine's
    // executor, so it resumes on the I/O thread, not on the worker.
    return boost::asio::co_spawn(pool_.get_executor(), std::move(on_worker), boost::asio::use_awaitable);
  }

  // True once the pool is going away: a long job should stop at its next chance.
  const std::atomic<bool>& stopping() const { return stopping_; }

 private:
  std::atomic<bool> stopping_{false};
  boost::asio::thread_pool pool_;
};

}  // namespace pp
