// A LogFile writes a batch larger than its write buffer (1 MiB) in several writes,
// each ending between two lines: the file holds every line whole and in order, its
// index matches the file, and a rotation inside the batch still falls between lines.
#include "supervise/log_file.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/log_paths.hpp"
#include "core/timestamp.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using test::read_file;
using test::TempDir;

constexpr Millis T0 = 1751812200000;  // 2025-07-06T14:30:00.000Z

// Line i: 100 bytes with its stamp and newline, stamped T0 + i / 1000.
std::string text_of(std::size_t i) {
  std::string t = std::to_string(i) + " ";
  t.resize(100 - kStampLen - 2, 'x');
  return t;
}
Millis stamp_of(std::size_t i) { return T0 + static_cast<Millis>(i / 1000); }
std::string line_of(std::size_t i) { return format_iso_ms(stamp_of(i)) + " " + text_of(i) + "\n"; }

// Every checkpoint points at the start of the line it names, with that line's stamp.
void expect_index_matches(const LogIndex& index, const std::string& file, std::size_t first_line) {
  EXPECT_EQ(index.size, file.size());
  ASSERT_FALSE(index.checkpoints.empty());
  for (const Checkpoint& c : index.checkpoints) {
    ASSERT_EQ(c.offset, c.line * 100) << "checkpoint at line " << c.line;
    EXPECT_EQ(file.substr(c.offset, 100), line_of(first_line + c.line));
    EXPECT_EQ(c.stamp, stamp_of(first_line + c.line));
  }
}

TEST(LogFile, ABatchOfSeveralMegabytesLandsWholeAndInOrder) {
  TempDir dir;
  std::string path = dir.path() + "/p.stdout";
  LogFile f;
  ASSERT_EQ(f.open(path), "");
  constexpr std::size_t kLines = 50'000;  // 5 MB: writes before the batch ends
  std::string expected;
  for (std::size_t i = 0; i < kLines; ++i) {
    f.append(stamp_of(i), text_of(i));
    expected += line_of(i);
  }
  f.flush();
  std::string file = read_file(path);
  EXPECT_EQ(file, expected);
  EXPECT_EQ(f.index().lines, kLines);
  expect_index_matches(f.index(), file, 0);
}

TEST(LogFile, ARotationInsideALargeBatchFallsBetweenLines) {
  TempDir dir;
  std::string path = dir.path() + "/p.combined";
  LogFile f;
  ASSERT_EQ(f.open(path), "");
  f.set_max_size(1'500'000);  // between two of the batch's writes
  constexpr std::size_t kLines = 40'000;
  for (std::size_t i = 0; i < kLines; ++i) f.append(stamp_of(i), text_of(i));
  f.flush();
  ASSERT_GE(f.rotations(), 2u);
  std::string current = read_file(path), backup = read_file(backup_path(path));
  ASSERT_EQ(current.size() % 100, 0u);
  ASSERT_EQ(backup.size() % 100, 0u);
  std::size_t kept = (current.size() + backup.size()) / 100, first = kLines - kept;
  std::string expected;
  for (std::size_t i = first; i < kLines; ++i) expected += line_of(i);
  EXPECT_EQ(backup + current, expected);
  EXPECT_EQ(f.index().lines, current.size() / 100);
  expect_index_matches(f.index(), current, kLines - current.size() / 100);
  ASSERT_NE(f.backup_index(), nullptr);
  expect_index_matches(*f.backup_index(), backup, first);
}

TEST(LogFile, ALineLargerThanTheWriteBufferLandsWhole) {
  TempDir dir;
  std::string path = dir.path() + "/p.combined";
  LogFile f;
  ASSERT_EQ(f.open(path), "");
  std::string big(3 * 1024 * 1024, 'b');
  f.append(T0, "before");
  f.append(T0, big);
  f.append(T0, "after");
  f.flush();
  std::string s = format_iso_ms(T0) + " ";
  EXPECT_EQ(read_file(path), s + "before\n" + s + big + "\n" + s + "after\n");
  EXPECT_EQ(f.index().lines, 3u);
}

TEST(LogFile, ANewlineInsideTheTextIsWrittenAsBackslashN) {
  TempDir dir;
  std::string path = dir.path() + "/p.combined";
  LogFile f;
  ASSERT_EQ(f.open(path), "");
  f.append(T0, "two\nlines\n");
  f.append(T0, "one");
  f.flush();
  std::string s = format_iso_ms(T0) + " ";
  EXPECT_EQ(read_file(path), s + "two\\nlines\\n\n" + s + "one\n");
  EXPECT_EQ(f.index().lines, 2u);
  EXPECT_EQ(f.index().size, read_file(path).size());
}

// append_line (text without a newline, not looked for) writes the very bytes and
// index append does: through small batches, a flood that grows the buffer past a
// megabyte, the small batch after it that gives the memory back, empty lines and
// stamps that change between lines of a batch.
TEST(LogFile, AppendLineWritesWhatAppendWrites) {
  TempDir dir;
  LogFile a, b;
  ASSERT_EQ(a.open(dir.path() + "/a.stdout"), "");
  ASSERT_EQ(b.open(dir.path() + "/b.stdout"), "");
  auto both = [&](Millis stamp, std::string_view text) {
    a.append(stamp, text);
    b.append_line(stamp, text);
  };
  std::size_t sizes[] = {1, 3, 30'000, 2, 1, 12'000, 5};  // lines per batch
  std::size_t n = 0;
  for (std::size_t batch : sizes) {
    for (std::size_t i = 0; i < batch; ++i, ++n) both(T0 + static_cast<Millis>(n / 7), n % 11 ? text_of(n) : "");
    a.flush();
    b.flush();
    ASSERT_EQ(read_file(a.path()), read_file(b.path())) << "after " << n << " lines";
  }
  EXPECT_EQ(a.index().lines, n);
  EXPECT_EQ(b.index().lines, n);
  EXPECT_EQ(b.index().size, read_file(b.path()).size());
  ASSERT_EQ(a.index().checkpoints.size(), b.index().checkpoints.size());
  for (std::size_t i = 0; i < a.index().checkpoints.size(); ++i) {
    EXPECT_EQ(a.index().checkpoints[i].offset, b.index().checkpoints[i].offset);
    EXPECT_EQ(a.index().checkpoints[i].line, b.index().checkpoints[i].line);
    EXPECT_EQ(a.index().checkpoints[i].stamp, b.index().checkpoints[i].stamp);
  }
}

}  // namespace
}  // namespace pp
