// A read of a log within a budget (docs/mcp.md#output): cut off, it says how far it
// got and returns what it found there; and a log opened on the writer's thread is
// read as it was then, however the writer goes on (docs/architecture.md#worker-threads).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/pattern.hpp"
#include "core/timestamp.hpp"
#include "supervise/log_file.hpp"
#include "supervise/log_reader.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using test::TempDir;
using namespace std::chrono_literals;

constexpr Millis T0 = 1751812200000;  // 2025-07-06T14:30:00.000Z
// Every line is 100 bytes: a 24-byte stamp, a space, 74 bytes of text, a newline.
constexpr std::uint64_t kLineBytes = 100;
constexpr std::size_t kBlock = 1024 * 1024;  // a search's block (log_reader.cpp)

// Line i, stamped T0 + i ms: "line <i>" (with "needle" every 7th line), padded to 74 bytes.
std::string text_of(std::size_t i) {
  std::string t = "line " + std::to_string(i) + (i % 7 == 0 ? " needle" : "");
  t.resize(74, '.');
  return t;
}

struct Log {
  Log(const TempDir& dir, std::size_t n) : path(dir.path() + "/big.combined") {
    EXPECT_EQ(file.open(path), "");
    append(0, n);
  }
  void append(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      file.append(T0 + static_cast<Millis>(i), text_of(i));
      lines.push_back(format_iso_ms(T0 + static_cast<Millis>(i)) + " " + text_of(i) + "\n");
    }
    file.flush();
  }
  std::string path;
  LogFile file;
  std::vector<std::string> lines;
};

std::shared_ptr<const Pattern> compile(const std::string& text) {
  std::string err;
  auto p = Pattern::compile(text, err);
  EXPECT_TRUE(p) << err;
  return p;
}

// The lines [from, to) of `log` that hold "needle".
std::vector<std::string> needles(const Log& log, std::size_t from, std::size_t to) {
  std::vector<std::string> out;
  for (std::size_t i = from; i < to; ++i)
    if (i % 7 == 0) out.push_back(log.lines[i]);
  return out;
}

ReadResult read_within(const Log& log, const ReadQuery& q, ReadBudget& budget, bool with_index = true) {
  LogRange range;
  EXPECT_EQ(range.open(log.path, with_index ? &log.file.index() : nullptr, log.file.backup_index()), "");
  return read_range(range, q, budget);
}

TEST(ReadBudget, UnlimitedNeverSpentAZeroLimitSpentAtOnceTheHookSeesEveryAsk) {
  ReadBudget unlimited;
  EXPECT_FALSE(unlimited.spent());
  int asked = 0;
  ReadBudget zero(0s, [&] { ++asked; });
  EXPECT_TRUE(zero.spent());
  EXPECT_TRUE(zero.spent());
  EXPECT_EQ(asked, 2);
  EXPECT_EQ(zero.limit_text(), "0 ms");
  EXPECT_EQ(ReadBudget(5s).limit_text(), "5 s");
  EXPECT_EQ(ReadBudget(250ms).limit_text(), "250 ms");
  std::atomic<bool> stop{false};
  ReadBudget stoppable(1h, nullptr, &stop);
  EXPECT_FALSE(stoppable.spent());
  stop = true;
  EXPECT_TRUE(stoppable.spent());
}

// With no time at all, a search reads exactly one block: the newest whole lines of
// the last 1 MiB of the window. Its matches come back, with the error saying where it stopped.
TEST(ReadCutOff, ASearchOutOfTimeReturnsTheMatchesOfWhatItSearchedAndSaysHowFar) {
  TempDir dir;
  const std::size_t n = 50000;  // 5,000,000 bytes: five blocks
  Log log(dir, n);
  auto pattern = compile("needle");
  ReadQuery q;
  q.lines = 10;
  q.pattern = pattern.get();
  ReadBudget none(0s);
  ReadResult r = read_within(log, q, none);
  ASSERT_TRUE(r.cut_off);
  // The block begins inside a line; the search starts at the next whole one.
  const std::size_t first = (n * kLineBytes - kBlock + kLineBytes - 1) / kLineBytes;
  const std::uint64_t searched = (n - first) * kLineBytes;
  std::vector<std::string> found = needles(log, first, n);
  ASSERT_GT(found.size(), 10u);
  EXPECT_EQ(r.lines, std::vector<std::string>(found.end() - 10, found.end()));
  EXPECT_EQ(r.lines_before, found.size() - 10);
  EXPECT_EQ(r.lines_after, 0u);
  EXPECT_EQ(r.error, "The search was cut off at the limit of 0 ms per call: it searched only the newest " +
                         std::to_string(searched) + " of the 5000000 bytes in the window, lines " +
                         std::to_string(first + 1) + " to 50000 of 50000 (stamped " +
                         format_iso_ms(T0 + static_cast<Millis>(first)) + " to " +
                         format_iso_ms(T0 + static_cast<Millis>(n - 1)) +
                         "). output holds the last matches found there and lines_before counts only the other "
                         "matches there; lines_after was not counted. Narrow the window with since_time or "
                         "before_time, or use a pattern that RE2 can match faster (a plain word, fewer "
                         "repetitions or Unicode classes).");
}

// A window that fits in one block is searched whole; then counting the matches
// after it runs out of time, and says so.
TEST(ReadCutOff, CountingTheMatchesAfterTheWindowOutOfTimeSaysTheWindowIsComplete) {
  TempDir dir;
  const std::size_t n = 50000;
  Log log(dir, n);
  auto pattern = compile("needle");
  ReadQuery q;
  q.lines = 3;
  q.pattern = pattern.get();
  q.since = T0 + 1000;
  q.before = T0 + 2000;  // lines 1000 to 1999: 100,000 bytes
  ReadBudget none(0s);
  ReadResult r = read_within(log, q, none);
  ASSERT_TRUE(r.cut_off);
  std::vector<std::string> in_window = needles(log, 1000, 2000);
  EXPECT_EQ(r.lines, std::vector<std::string>(in_window.end() - 3, in_window.end()));
  EXPECT_EQ(r.lines_before, in_window.size() - 3);
  const std::size_t first = (n * kLineBytes - kBlock + kLineBytes - 1) / kLineBytes;
  EXPECT_EQ(r.lines_after, needles(log, first, n).size());
  EXPECT_NE(r.error.find("it searched the whole window (output and lines_before are complete), but of the " +
                         std::to_string((n - 2000) * kLineBytes) + " bytes after it only the newest " +
                         std::to_string((n - first) * kLineBytes) + ", lines " + std::to_string(first + 1) +
                         " to 50000 of 50000"),
            std::string::npos)
      << r.error;
}

// A log without the writer's index is indexed first, by reading it through: that
// too stops when the time is up.
TEST(ReadCutOff, IndexingALogOutOfTimeSaysHowMuchWasRead) {
  TempDir dir;
  Log log(dir, 50000);
  ReadQuery q;
  ReadBudget none(0s);
  ReadResult r = read_within(log, q, none, false);
  EXPECT_TRUE(r.cut_off);
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.error,
            "Reading the log was cut off at the limit of 0 ms per call: this server did not write it (or it changed "
            "under the server), so it is indexed by reading it through first, and only 65536 of its 5000000 bytes "
            "were read.");
}

// Without a pattern the work does not grow with the log: no budget is asked.
TEST(ReadCutOff, TheLastLinesNeedNoTime) {
  TempDir dir;
  Log log(dir, 50000);
  ReadQuery q;
  q.lines = 5;
  ReadBudget none(0s);
  ReadResult r = read_within(log, q, none);
  EXPECT_FALSE(r.cut_off);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.lines, std::vector<std::string>(log.lines.end() - 5, log.lines.end()));
}

// Opened on the writer's thread, a log is read as it was then: lines appended
// since, and rotations that renamed the file, are not seen.
TEST(LogSnapshot, ReadsTheLogAsItWasWhenOpenedWhateverTheWriterDoesSince) {
  TempDir dir;
  Log log(dir, 1000);
  LogRange range;
  ASSERT_EQ(range.open(log.path, &log.file.index(), log.file.backup_index()), "");
  log.file.set_max_size(64 * 1024);
  log.append(1000, 5000);  // rotates several times
  ASSERT_GT(log.file.rotations(), 1u);
  ReadQuery q;
  q.lines = 5;
  ReadBudget unlimited;
  ReadResult r = read_range(range, q, unlimited);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.lines, std::vector<std::string>(log.lines.begin() + 995, log.lines.begin() + 1000));
  EXPECT_EQ(r.lines_before, 995u);
  EXPECT_EQ(r.lines_after, 0u);
}

// The same with the reader on another thread while the writer appends and rotates:
// the answer is the snapshot's (run under the sanitizers, this checks that nothing
// the writer changes is shared with the reader).
TEST(LogSnapshot, AReaderOnAnotherThreadWhileTheWriterAppendsAndRotates) {
  TempDir dir;
  Log log(dir, 20000);
  log.file.set_max_size(4 * 1024 * 1024);  // the next lines rotate the 2 MB file at least once
  auto pattern = compile("needle");
  LogRange range;
  ASSERT_EQ(range.open(log.path, &log.file.index(), log.file.backup_index()), "");
  ReadQuery q;
  q.lines = 100000;
  q.pattern = pattern.get();
  ReadResult r;
  std::thread reader([&] {
    ReadBudget unlimited;
    r = read_range(range, q, unlimited);
  });
  log.append(20000, 80000);
  reader.join();
  EXPECT_GT(log.file.rotations(), 0u);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.lines, needles(log, 0, 20000));
  EXPECT_EQ(r.lines_before, 0u);
  EXPECT_EQ(r.lines_after, 0u);
}

}  // namespace
}  // namespace pp
