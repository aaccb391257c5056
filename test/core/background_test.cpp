// run_in_background: an exception that ends a coroutine nobody awaits is logged
// under the coroutine's purpose and handed to whoever it worked for; what it
// worked on is kept alive until it ends (docs/architecture.md#background-coroutines).
#include "core/background.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/logger.hpp"

namespace pp {
namespace {

// The errors these tests cause go to the log they check, not to the test's stderr.
struct QuietConsole {
  QuietConsole() { logger::set_console_level(logger::Level::none); }
  ~QuietConsole() { logger::set_console_level(logger::Level::warning); }  // the default
};

namespace asio = boost::asio;

asio::awaitable<void> fails() {
  throw std::runtime_error("it broke");
  co_return;
}

asio::awaitable<void> succeeds() { co_return; }

TEST(Background, AnExceptionIsLoggedUnderThePurposeAndHandedOn) {
  asio::io_context ioc;
  std::vector<std::string> logged;
  logger::FileSinkGuard sink([&](Millis, std::string_view line) { logged.emplace_back(line); });
  QuietConsole quiet;
  std::vector<std::string> failures;
  int ended = 0;
  auto owner = std::make_shared<int>(7);
  std::weak_ptr<int> watch = owner;
  OnEnd on_end{[&](const std::string& f) { failures.push_back(f); }, [&] { ++ended; }};
  run_in_background(ioc.get_executor(), fails(), "doing a thing for PID 12 (web)", std::move(owner), on_end);
  ioc.run();
  EXPECT_EQ(logged, std::vector<std::string>{"ERROR doing a thing for PID 12 (web): it broke"});
  EXPECT_EQ(failures, std::vector<std::string>{"doing a thing for PID 12 (web): it broke"});
  EXPECT_EQ(ended, 1);
  EXPECT_TRUE(watch.expired()) << "the owner is let go once the coroutine has ended";
}

TEST(Background, AnOrdinaryEndIsNoFailure) {
  asio::io_context ioc;
  std::vector<std::string> logged;
  logger::FileSinkGuard sink([&](Millis, std::string_view line) { logged.emplace_back(line); });
  QuietConsole quiet;
  int failed = 0, ended = 0;
  OnEnd on_end{[&](const std::string&) { ++failed; }, [&] { ++ended; }};
  run_in_background(ioc.get_executor(), succeeds(), "doing nothing", nullptr, on_end);
  ioc.run();
  EXPECT_TRUE(logged.empty());
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(ended, 1);
}

}  // namespace
}  // namespace pp
