// An exception that ends one of an instance's coroutines is not lost
// (docs/architecture.md#background-coroutines): the server log has it, naming
// what the coroutine did and the process, and `list` shows it in the entry's note.
#include <stdexcept>
#include <vector>

#include "core/logger.hpp"
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

// The errors these tests cause go to the log they check, not to the test's stderr.
struct QuietConsole {
  QuietConsole() { logger::set_console_level(logger::Level::none); }
  ~QuietConsole() { logger::set_console_level(logger::Level::warning); }  // the default
};

// Throws from the first line it sees: inside the output pump, which hands each
// line to the log set, which shows it to the watchers.
class ThrowOnce : public LineWatcher {
 public:
  void on_line(std::string_view, Millis) override {
    if (thrown_) return;
    thrown_ = true;
    throw std::runtime_error("test fault in a line watcher");
  }

 private:
  bool thrown_ = false;
};

using FailureNote = McpFixture;

TEST_F(FailureNote, AnExceptionInAnOutputPumpIsLoggedAndListedAsTheProcesssNote) {
  std::vector<std::string> logged;
  logger::FileSinkGuard sink([&](Millis, std::string_view line) { logged.emplace_back(line); });
  QuietConsole quiet;
  ProcessSpec spec;
  spec.command = {kHelper, "out:first line", "pause"};
  spec.cwd = dir.path();
  auto watcher = std::make_shared<ThrowOnce>();  // held weakly by the log set
  CtrlOutcome started = sup->start(spec, watcher);
  ASSERT_TRUE(started.process) << started.error;
  std::shared_ptr<Process> p = started.process;
  EXPECT_TRUE(call("list", {{"pid", p->pid()}}).at("processes").at(0).at("note").is_null());
  // The note is set on the I/O thread once the pump's coroutine has ended, and
  // `appended` is notified then.
  bool noted = run_co(ioc, [&]() -> boost::asio::awaitable<bool> {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (p->note().empty()) {
      if (std::chrono::steady_clock::now() >= deadline) co_return false;
      co_await p->appended().wait_until(deadline);
    }
    co_return true;
  }());
  ASSERT_TRUE(noted) << "no note after the pump failed";
  const std::string what = "reading stdout of PID " + std::to_string(p->pid()) + " (" + p->spec().label +
                           "): test fault in a line watcher";
  auto entry = call("list", {{"pid", p->pid()}}).at("processes").at(0).as_object();
  EXPECT_EQ(entry.at("note"), "server error: " + what + " (part of its supervision stopped; see the server log)");
  EXPECT_EQ(entry.at("status"), std::string("running"));
  EXPECT_NE(std::find(logged.begin(), logged.end(), "ERROR " + what), logged.end())
      << "server log:\n" << [&] {
           std::string all;
           for (const auto& l : logged) all += l + "\n";
           return all;
         }();
}

}  // namespace
}  // namespace pp::test
