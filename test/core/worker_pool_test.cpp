// WorkerPool runs a job on one of its threads and hands the result back to the
// awaiting coroutine on that coroutine's own thread (docs/architecture.md#worker-threads).
#include "core/worker_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <future>
#include <stdexcept>
#include <thread>

#include "core/event.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

namespace asio = boost::asio;
using test::run_co;

TEST(WorkerPool, RunsTheJobOnAWorkerAndResumesOnTheAwaitersThread) {
  asio::io_context ioc;
  WorkerPool pool(2);
  const auto here = std::this_thread::get_id();
  auto [worker, resumed, value] = run_co(ioc, [&]() -> asio::awaitable<std::tuple<std::thread::id, std::thread::id, int>> {
    std::thread::id on;
    auto job = [&on] {
      on = std::this_thread::get_id();
      return 42;
    };
    int v = co_await pool.run(std::move(job));
    co_return std::tuple{on, std::this_thread::get_id(), v};
  }());
  EXPECT_NE(worker, here);
  EXPECT_EQ(resumed, here);
  EXPECT_EQ(value, 42);
}

TEST(WorkerPool, AnExceptionInTheJobReachesTheAwaiter) {
  asio::io_context ioc;
  WorkerPool pool(1);
  std::string caught = run_co(ioc, [&]() -> asio::awaitable<std::string> {
    auto job = []() -> int { throw std::runtime_error("job failed"); };
    try {
      co_await pool.run(std::move(job));
    } catch (const std::runtime_error& e) {
      co_return e.what();
    }
    co_return "";
  }());
  EXPECT_EQ(caught, "job failed");
}

// While one job is held on its worker, the awaiter's thread goes on with other
// work, and a second job runs on the second worker.
TEST(WorkerPool, AHeldJobHoldsNeitherTheAwaitersThreadNorTheOtherWorker) {
  asio::io_context ioc;
  WorkerPool pool(2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Event held_done(ioc.get_executor());
  auto held = [released] {
    released.wait();
    return 1;
  };
  asio::co_spawn(ioc, pool.run(std::move(held)), [&](std::exception_ptr, int) { held_done.set(); });
  struct Release {  // also when an assertion below fails: the pool's join must not hang
    std::promise<void>& p;
    ~Release() {
      try {
        p.set_value();
      } catch (const std::future_error&) {
      }
    }
  } guard{release};
  int other = run_co(ioc, [&]() -> asio::awaitable<int> {
    auto quick = [] { return 2; };
    co_return co_await pool.run(std::move(quick));
  }());
  EXPECT_EQ(other, 2);
  EXPECT_FALSE(held_done.is_set());
  release.set_value();
  run_co(ioc, held_done.wait());
  EXPECT_TRUE(held_done.is_set());
}

}  // namespace
}  // namespace pp
