// BackwardLines walks a log range from its end, a block of whole lines at a time,
// over the `.1` backup and the current file as one; pop_last_line splits a block.
// Every walk here is checked against the bytes written, for many block sizes.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/log_paths.hpp"
#include "supervise/backward_lines.hpp"
#include "supervise/log_range.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using test::TempDir;

void write(const std::string& path, const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

// A file of `bytes` with no writer's index (so it is scanned), opened as a range.
struct RawLog {
  explicit RawLog(const std::string& bytes) {
    write(path, bytes);
    EXPECT_EQ(log.open(path, nullptr, nullptr), "");
    ReadBudget unlimited;
    EXPECT_TRUE(log.index_files(unlimited).complete);
  }
  TempDir dir;
  const std::string path = dir.path() + "/a.stdout";
  LogRange log;
};

// Lines of many lengths, some longer than the blocks below.
std::string sample() {
  std::string s;
  for (std::size_t i = 0; i < 60; ++i) s += std::string(i * i % 97, static_cast<char>('a' + i % 26)) + "\n";
  return s;
}

// Walks [floor, end) of `log` and checks each block against `bytes` (the range's
// content): whole lines, each ending where the one before began, down to `floor`.
void expect_walk(const LogRange& log, const std::string& bytes, std::uint64_t floor, std::uint64_t end,
                 std::size_t block) {
  SCOPED_TRACE("floor " + std::to_string(floor) + " end " + std::to_string(end) + " block " + std::to_string(block));
  BackwardLines lines(log, floor, end, block);
  EXPECT_EQ(lines.position(), end);
  std::uint64_t expected_end = end;
  for (std::string_view b; !(b = lines.next()).empty();) {
    std::uint64_t at = lines.position();
    ASSERT_EQ(at + b.size(), expected_end);
    EXPECT_EQ(b, std::string_view(bytes).substr(at, b.size()));
    EXPECT_TRUE(at == floor || bytes[at - 1] == '\n') << "starts inside a line at " << at;
    EXPECT_EQ(b.back(), '\n');
    EXPECT_EQ(lines.offset_of(b), at);
    expected_end = at;
  }
  EXPECT_EQ(expected_end, floor);
  EXPECT_EQ(lines.position(), floor);
  EXPECT_TRUE(lines.next().empty()) << "done stays done";
}

TEST(BackwardLines, ReturnsEveryLineWholeFromTheEndForAnyBlockSize) {
  const std::string bytes = sample();
  RawLog raw(bytes);
  const LogRange& log = raw.log;
  ASSERT_EQ(log.size(), bytes.size());
  std::vector<std::uint64_t> starts = {0};
  for (std::size_t i = 0; i < bytes.size(); ++i)
    if (bytes[i] == '\n') starts.push_back(i + 1);
  for (std::size_t block : {1, 2, 3, 7, 64, 100, 4096}) {
    expect_walk(log, bytes, 0, bytes.size(), block);
    for (auto [from, to] : {std::pair{1, 59}, {17, 40}, {30, 31}, {59, 60}, {60, 60}})
      expect_walk(log, bytes, starts.at(from), starts.at(to), block);
  }
}

TEST(BackwardLines, AnEmptyStretchHasNoLines) {
  RawLog raw("one\ntwo\n");
  BackwardLines lines(raw.log, 4, 4, 64);
  EXPECT_TRUE(lines.next().empty());
  EXPECT_EQ(lines.position(), 4u);
}

TEST(BackwardLines, ReadsTheBackupAndTheCurrentFileAsOne) {
  TempDir dir;
  const std::string path = dir.path() + "/a.combined";
  write(backup_path(path), "old 1\nold 2 longer\n");
  write(path, "new 1\nnew 2\n");
  LogRange log;
  ASSERT_EQ(log.open(path, nullptr, nullptr), "");
  ReadBudget unlimited;
  ASSERT_TRUE(log.index_files(unlimited).complete);
  ASSERT_EQ(log.parts().size(), 2u);
  EXPECT_EQ(log.lines(), 4u);
  for (std::size_t block : {1, 5, 6, 64}) expect_walk(log, "old 1\nold 2 longer\nnew 1\nnew 2\n", 0, log.size(), block);
}

TEST(BackwardLines, AFileCutShortEndsTheWalk) {
  RawLog raw("first line\nsecond line\nthird line\n");
  ASSERT_EQ(::truncate(raw.path.c_str(), 11), 0);  // shorter than its index now says
  BackwardLines lines(raw.log, 0, raw.log.size(), 8);
  EXPECT_TRUE(lines.next().empty());
  EXPECT_TRUE(lines.next().empty());
}

TEST(BackwardLines, PopLastLineSplitsABlockFromItsEnd) {
  std::string_view block = "a\nbc\n\nd\n";
  std::vector<std::string_view> got;
  while (!block.empty()) got.push_back(pop_last_line(block));
  EXPECT_EQ(got, (std::vector<std::string_view>{"d\n", "\n", "bc\n", "a\n"}));
  // The last piece of a file cut short has no newline.
  block = "a\nxyz";
  EXPECT_EQ(pop_last_line(block), "xyz");
  EXPECT_EQ(pop_last_line(block), "a\n");
  block = "a\nx";
  EXPECT_EQ(pop_last_line(block), "x");
  EXPECT_EQ(block, "a\n");
}

}  // namespace
}  // namespace pp
