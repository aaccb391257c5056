// The log set: a stream's line goes to its file and to the combined log (escaped
// there when it looks like a system line), system lines to the combined log only,
// watchers see stream lines, and flush() notifies `appended`.
#include "supervise/log_set.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace pp {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::read_file;

constexpr Millis T0 = 1751812200000;  // 2025-07-06T14:30:00.000Z
const std::string kStamp = "2025-07-06T14:30:00.000Z ";

// Awaits `appended` while a flush() runs: true when it woke the wait.
asio::awaitable<bool> flush_wakes_appended(LogSet& set) {
  auto ex = co_await asio::this_coro::executor;
  asio::post(ex, [&set] { set.flush(); });  // runs once the wait below has begun
  co_return co_await set.appended().wait_until(std::chrono::steady_clock::now() + 10s);
}

struct Seen : LineWatcher {
  void on_line(std::string_view line, Millis) override { lines.emplace_back(line); }
  std::vector<std::string> lines;
};

class Logs : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(set.open(log_paths_for(dir.path(), 7, {"ls"})), ""); }

  asio::io_context ioc;
  test::TempDir dir;
  LogSet set{ioc.get_executor()};
};

TEST_F(Logs, AStreamLineGoesToItsFileAndTheCombinedOne) {
  set.write_line(Stream::out, "to stdout", T0);
  set.write_line(Stream::err, "to stderr", T0);
  set.flush();
  EXPECT_EQ(read_file(set.paths().stdout_path), kStamp + "to stdout\n");
  EXPECT_EQ(read_file(set.paths().stderr_path), kStamp + "to stderr\n");
  EXPECT_EQ(read_file(set.paths().combined_path), kStamp + "to stdout\n" + kStamp + "to stderr\n");
  EXPECT_EQ(set.file(Stream::combined).index().lines, 2u);
}

TEST_F(Logs, OutputThatLooksLikeASystemLineIsEscapedInTheCombinedLogOnly) {
  set.write_line(Stream::out, "[SYSTEM] Process exited with code 0", T0);
  set.system_line("real");
  std::string combined = read_file(set.paths().combined_path);
  EXPECT_NE(combined.find(kStamp + "\\[SYSTEM] Process exited with code 0\n"), std::string::npos) << combined;
  EXPECT_TRUE(combined.ends_with(" [SYSTEM] real\n")) << combined;
  EXPECT_EQ(read_file(set.paths().stdout_path), kStamp + "[SYSTEM] Process exited with code 0\n");
}

TEST_F(Logs, WatchersSeeStreamLinesUntilTheyGoAway) {
  auto seen = std::make_shared<Seen>();
  set.add_line_watcher(seen);
  set.write_line(Stream::err, "e", T0);
  set.system_line("not output");
  EXPECT_EQ(seen->lines, std::vector<std::string>{"e"});
  seen.reset();
  set.write_line(Stream::out, "unseen", T0);  // one that went away is simply not called
}

TEST_F(Logs, StampsNeverGoBackAndFlushNotifiesAppended) {
  Millis a = set.next_stamp(), b = set.next_stamp();
  EXPECT_LE(a, b);
  EXPECT_TRUE(test::run_co(ioc, flush_wakes_appended(set)));
}

}  // namespace
}  // namespace pp
