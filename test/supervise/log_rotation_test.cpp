// A capped LogFile rotates to one `.1` backup between lines, and read_log reads the
// backup and the current file as one log. Every read is checked against a model of
// the lines the two files keep, with the writer's indexes and with none (scanned).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/log_paths.hpp"
#include "core/timestamp.hpp"
#include "supervise/log_file.hpp"
#include "supervise/log_reader.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using test::read_file;
using test::TempDir;

constexpr Millis T0 = 1751812200000;  // 2025-07-06T14:30:00.000Z
constexpr std::uint64_t kNoBudget = ~std::uint64_t{0};

bool exists(const std::string& path) { return std::filesystem::exists(path); }

// A capped log written through LogFile; the model is every line ever appended.
class RotatingLog {
 public:
  RotatingLog(const TempDir& dir, std::uint64_t cap) : path_(dir.path() + "/p.combined") {
    EXPECT_EQ(file_.open(path_), "");
    file_.set_max_size(cap);
  }

  void add(Millis stamp, const std::string& text) {
    file_.append(stamp, text);
    file_.flush();
    stamps_.push_back(stamp);
    lines_.push_back(format_iso_ms(stamp) + " " + text + "\n");
  }
  // `n` lines of `width` bytes each (stamp and newline included), one millisecond apart.
  void add_lines(std::size_t n, std::size_t width) {
    for (std::size_t i = 0; i < n; ++i) {
      std::string text = "n" + std::to_string(lines_.size());
      text.resize(width - kStampLen - 2, '.');
      add(T0 + static_cast<Millis>(lines_.size()), text);
    }
  }

  const std::string& path() const { return path_; }
  std::string backup() const { return backup_path(path_); }
  const LogFile& file() const { return file_; }
  const std::vector<std::string>& lines() const { return lines_; }

  // The lines the two files still hold: the last (backup + current) ones.
  std::size_t kept() const {
    const LogIndex* b = file_.backup_index();
    return static_cast<std::size_t>(file_.index().lines + (b ? b->lines : 0));
  }
  std::string joined(std::size_t from, std::size_t to) const {
    std::string s;
    for (std::size_t i = from; i < to; ++i) s += lines_[i];
    return s;
  }

  // What read_log must answer, by brute force over the kept lines.
  ReadResult expected(const ReadQuery& q) const {
    std::vector<Millis> stamps(stamps_.end() - static_cast<std::ptrdiff_t>(kept()), stamps_.end());
    std::vector<std::string> lines(lines_.end() - static_cast<std::ptrdiff_t>(kept()), lines_.end());
    auto at_or_after = [&](Millis t) {
      return static_cast<std::size_t>(std::lower_bound(stamps.begin(), stamps.end(), t) - stamps.begin());
    };
    std::size_t end = q.before ? at_or_after(*q.before) : stamps.size();
    std::size_t floor = q.since ? std::min(at_or_after(*q.since), end) : 0;
    std::size_t first = end - static_cast<std::size_t>(std::min<std::uint64_t>(q.lines, end - floor));
    ReadResult r;
    r.lines.assign(lines.begin() + static_cast<std::ptrdiff_t>(first), lines.begin() + static_cast<std::ptrdiff_t>(end));
    r.lines_before = first;
    r.lines_after = stamps.size() - end;
    return r;
  }

  // The writer's indexes, no index at all, and the model must all agree.
  void check(const ReadQuery& q) const {
    std::string what = "lines=" + std::to_string(q.lines) + (q.since ? " since=" + format_iso_ms(*q.since) : "") +
                       (q.before ? " before=" + format_iso_ms(*q.before) : "");
    SCOPED_TRACE(what);
    ReadResult want = expected(q);
    for (const ReadResult& got : {read_log(file_, q), read_log(path_, nullptr, q)}) {
      EXPECT_EQ(got.error, "");
      EXPECT_EQ(got.lines_before, want.lines_before);
      EXPECT_EQ(got.lines_after, want.lines_after);
      EXPECT_EQ(got.lines, want.lines);
    }
  }

 private:
  std::string path_;
  LogFile file_;
  std::vector<Millis> stamps_;
  std::vector<std::string> lines_;
};

ReadQuery last(std::uint64_t n) { return ReadQuery{n, std::nullopt, std::nullopt, kNoBudget}; }
ReadQuery window(std::optional<Millis> s, std::optional<Millis> b, std::uint64_t n = 1000) {
  return ReadQuery{n, s, b, kNoBudget};
}

// ---- LogFile ----

TEST(LogRotation, BelowTheCapNothingRotates) {
  TempDir dir;
  RotatingLog log(dir, 1000);
  log.add_lines(10, 100);  // exactly 1000 bytes: at the cap, not past it
  EXPECT_EQ(log.file().rotations(), 0u);
  EXPECT_FALSE(exists(log.backup()));
  EXPECT_EQ(log.file().backup_index(), nullptr);
  EXPECT_EQ(read_file(log.path()), log.joined(0, 10));
}

TEST(LogRotation, TheLineThatWouldPassTheCapStartsAFreshFile) {
  TempDir dir;
  RotatingLog log(dir, 1000);
  log.add_lines(11, 100);
  EXPECT_EQ(log.file().rotations(), 1u);
  EXPECT_EQ(read_file(log.backup()), log.joined(0, 10));
  EXPECT_EQ(read_file(log.path()), log.joined(10, 11));
  ASSERT_NE(log.file().backup_index(), nullptr);
  EXPECT_EQ(log.file().backup_index()->lines, 10u);
  EXPECT_EQ(log.file().backup_index()->size, 1000u);
  EXPECT_EQ(log.file().index().lines, 1u);
  EXPECT_EQ(log.file().index().size, 100u);
  ASSERT_EQ(log.file().index().checkpoints.size(), 1u);
  EXPECT_EQ(log.file().index().checkpoints[0].offset, 0u);
  EXPECT_EQ(log.file().index().checkpoints[0].stamp, T0 + 10);
}

TEST(LogRotation, EachRotationReplacesTheOneBackup) {
  TempDir dir;
  RotatingLog log(dir, 1000);
  log.add_lines(35, 100);  // files of 10 lines: 0-9, 10-19, 20-29, then 30-34
  EXPECT_EQ(log.file().rotations(), 3u);
  EXPECT_EQ(read_file(log.backup()), log.joined(20, 30));
  EXPECT_EQ(read_file(log.path()), log.joined(30, 35));
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 2u);  // no .2, no leftovers
}

TEST(LogRotation, FilesAlwaysHoldWholeLinesAndNeverPassTheCap) {
  TempDir dir;
  RotatingLog log(dir, 777);
  for (int i = 0; i < 300; ++i) log.add(T0 + i, std::string(static_cast<std::size_t>(i * 7 % 90), static_cast<char>('a' + i % 26)));
  ASSERT_GT(log.file().rotations(), 10u);
  for (const std::string& p : {log.backup(), log.path()}) {
    std::string content = read_file(p);
    EXPECT_LE(content.size(), 777u) << p;
    ASSERT_FALSE(content.empty());
    EXPECT_EQ(content.back(), '\n');
    EXPECT_TRUE(parse_line_stamp(content)) << p;
  }
  EXPECT_EQ(read_file(log.backup()) + read_file(log.path()), log.joined(log.lines().size() - log.kept(), log.lines().size()));
}

TEST(LogRotation, ALineLargerThanTheCapGetsAFileOfItsOwn) {
  TempDir dir;
  RotatingLog log(dir, 200);
  log.add_lines(1, 100);
  log.add_lines(1, 500);  // bigger than the cap: rotates once, then goes in whole
  EXPECT_EQ(log.file().rotations(), 1u);
  EXPECT_EQ(read_file(log.path()), log.joined(1, 2));
  log.add_lines(1, 100);  // and the next line does not share its file
  EXPECT_EQ(log.file().rotations(), 2u);
  EXPECT_EQ(read_file(log.backup()), log.joined(1, 2));
  EXPECT_EQ(read_file(log.path()), log.joined(2, 3));
}

TEST(LogRotation, AnOversizedFirstLineDoesNotRotateAnEmptyFile) {
  TempDir dir;
  RotatingLog log(dir, 50);
  log.add_lines(1, 400);
  EXPECT_EQ(log.file().rotations(), 0u);
  EXPECT_FALSE(exists(log.backup()));
  EXPECT_EQ(read_file(log.path()), log.joined(0, 1));
}

TEST(LogRotation, ACapOfZeroGivesEachLineAFileOfItsOwnWithoutLooping) {
  TempDir dir;
  RotatingLog log(dir, 0);
  log.add_lines(5, 40);
  EXPECT_EQ(log.file().rotations(), 4u);
  EXPECT_EQ(read_file(log.backup()), log.joined(3, 4));
  EXPECT_EQ(read_file(log.path()), log.joined(4, 5));
  log.check(last(10));
}

TEST(LogRotation, ARemovedLogFileIsStartedAgainAtTheNextWrite) {
  TempDir dir;
  RotatingLog log(dir, 300);
  log.add_lines(2, 100);
  std::filesystem::remove(log.path());
  log.add_lines(2, 100);  // written to a new file, not into the deleted one
  EXPECT_EQ(read_file(log.path()), log.joined(2, 4));
  EXPECT_EQ(log.file().backup_index(), nullptr);
}

TEST(LogRotation, TheBackupIndexIsTheIndexTheFileHadWhenItRotated) {
  TempDir dir;
  RotatingLog log(dir, 300 * 1024);
  log.add_lines(2500, 100);  // 250 KB, then 100 more lines into a fresh file
  ASSERT_EQ(log.file().rotations(), 0u);
  LogIndex before = log.file().index();
  log.add_lines(600, 100);
  ASSERT_EQ(log.file().rotations(), 1u);
  const LogIndex* b = log.file().backup_index();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->lines, 3072u);  // 300 KiB / 100 bytes
  EXPECT_EQ(b->size, 307200u);
  ASSERT_GE(b->checkpoints.size(), before.checkpoints.size());
  for (std::size_t i = 0; i < before.checkpoints.size(); ++i) EXPECT_EQ(b->checkpoints[i].offset, before.checkpoints[i].offset);
}

// ---- read_log across the rotation ----

class AcrossRotation : public ::testing::Test {
 protected:
  // 1000-byte files of ten 100-byte lines; 45 lines leave 30-39 in the backup, 40-44 current.
  void SetUp() override { log.add_lines(45, 100); }
  TempDir dir;
  RotatingLog log{dir, 1000};
};

TEST_F(AcrossRotation, LastNSpansBothFiles) {
  ReadResult r = read_log(log.file(), last(8));
  ASSERT_EQ(r.lines.size(), 8u);
  EXPECT_EQ(r.lines.front(), log.lines()[37]);
  EXPECT_EQ(r.lines.back(), log.lines()[44]);
  EXPECT_EQ(r.lines_before, 7u);  // 30-36: the lines of the backup before the first returned
  EXPECT_EQ(r.lines_after, 0u);
  for (std::uint64_t n : {0, 1, 4, 5, 6, 10, 14, 15, 16, 100}) log.check(last(n));
}

TEST_F(AcrossRotation, TimeWindowsAcrossTheBoundary) {
  // Line k is stamped T0 + k.
  for (Millis s : {0, 29, 30, 35, 39, 40, 41, 44, 45, 99})
    for (Millis b : {0, 30, 31, 38, 40, 41, 43, 45, 99}) {
      log.check(window(T0 + s, T0 + b));
      log.check(window(T0 + s, T0 + b, 3));
      log.check(window(std::nullopt, T0 + b, 4));
    }
  for (Millis s : {0, 30, 36, 40, 42, 46}) log.check(window(T0 + s, std::nullopt, 7));
}

TEST_F(AcrossRotation, SinceWithinTheBackupCountsWhatFollowsInBothFiles) {
  ReadResult r = read_log(log.file(), window(T0 + 33, T0 + 36, 100));
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines_before, 3u);
  EXPECT_EQ(r.lines_after, 9u);  // 36-39 and 40-44
}

TEST_F(AcrossRotation, WithoutTheBackupOnlyTheCurrentFileIsRead) {
  std::filesystem::remove(log.backup());
  ReadResult r = read_log(log.file(), last(100));
  EXPECT_EQ(r.error, "");
  ASSERT_EQ(r.lines.size(), 5u);
  EXPECT_EQ(r.lines.front(), log.lines()[40]);
  EXPECT_EQ(r.lines_before, 0u);
}

TEST_F(AcrossRotation, AByteBudgetStopsInTheBackupAndCountsTheRest) {
  ReadQuery q = last(100);
  q.max_bytes = 750;  // seven and a half lines
  ReadResult r = read_log(log.file(), q);
  ASSERT_EQ(r.lines.size(), 7u);
  EXPECT_EQ(r.lines.front(), log.lines()[38]);
  EXPECT_EQ(r.lines_before, 8u);
}

TEST(LogRotationRead, ManyRotationsOfBigFilesAgreeWithTheModel) {
  TempDir dir;
  RotatingLog log(dir, 200 * 1024);  // several checkpoints per file
  for (int i = 0; i < 9000; ++i) log.add(T0 + i / 3, std::string(static_cast<std::size_t>(20 + i % 61), 'z'));
  ASSERT_GE(log.file().rotations(), 2u);
  ASSERT_GE(log.file().backup_index()->checkpoints.size(), 3u);
  for (std::uint64_t n : {1, 100, 1000, 2000, 5000, 9000}) log.check(last(n));
  Millis first = T0 + static_cast<Millis>((log.lines().size() - log.kept()) / 3);
  for (Millis d : {-5, 0, 1, 100, 300, 700, 1000, 1500, 2000, 2999, 3000, 3100})
    log.check(window(first + d, std::nullopt, 400));
  for (Millis d : {0, 200, 800, 1300, 2500}) log.check(window(first + d, first + d + 450, 10000));
}

}  // namespace
}  // namespace pp
