// LogFile writes time-stamped lines plus an index; read_log answers `output` queries
// (docs/logs.md#reading) from the end of the file. Every read here is done twice, with the writer's
// index and with none (the reader scans the file), and both must give the same answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "supervise/log_file.hpp"
#include "supervise/log_reader.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using test::TempDir;

constexpr Millis T0 = 1751812200000;  // 2025-07-06T14:30:00.000Z

std::string describe(const ReadQuery& q) {
  std::ostringstream o;
  o << "lines=" << q.lines;
  if (q.since) o << " since=" << format_iso_ms(*q.since);
  if (q.before) o << " before=" << format_iso_ms(*q.before);
  if (q.pattern) o << " pattern=" << q.pattern->text();
  return o.str();
}

// A log file written through LogFile, and the same lines kept in memory as the model
// against which read results are checked.
class WrittenLog {
 public:
  WrittenLog(const TempDir& dir, const std::string& name) : path_(dir.path() + "/" + name) {}

  void write(const std::vector<std::pair<Millis, std::string>>& entries) {
    LogFile f;
    std::string err = f.open(path_);
    ASSERT_EQ(err, "");
    for (const auto& [stamp, text] : entries) add(f, stamp, text);
    f.flush();
    index_ = f.index();
    f.close();
  }

  // Writes `n` lines whose stamps come from `stamp_of(i)` and texts from `text_of(i)`.
  template <class StampOf, class TextOf>
  void write_generated(std::size_t n, StampOf stamp_of, TextOf text_of) {
    LogFile f;
    ASSERT_EQ(f.open(path_), "");
    stamps_.reserve(n);
    lines_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) add(f, stamp_of(i), text_of(i));
    f.flush();
    index_ = f.index();
    f.close();
  }

  const std::string& path() const { return path_; }
  const LogIndex& index() const { return index_; }
  const std::vector<std::string>& lines() const { return lines_; }
  const std::vector<Millis>& stamps() const { return stamps_; }
  std::uint64_t total() const { return lines_.size(); }

  // Lines [from, to) of the file, as read_log returns them.
  std::vector<std::string> range(std::size_t from, std::size_t to) const {
    return {lines_.begin() + static_cast<std::ptrdiff_t>(from), lines_.begin() + static_cast<std::ptrdiff_t>(to)};
  }

  // What read_log must answer, computed by brute force over the model.
  ReadResult expected(const ReadQuery& q) const {
    auto first_at_or_after = [&](Millis t) {
      return static_cast<std::size_t>(std::lower_bound(stamps_.begin(), stamps_.end(), t) - stamps_.begin());
    };
    std::size_t end = q.before ? first_at_or_after(*q.before) : stamps_.size();
    std::size_t floor = q.since ? std::min(first_at_or_after(*q.since), end) : 0;
    if (q.pattern) return expected_matches(q, floor, end);
    std::size_t first = end - static_cast<std::size_t>(std::min<std::uint64_t>(q.lines, end - floor));
    ReadResult r;
    r.lines = range(first, end);
    r.lines_before = first;
    r.lines_after = stamps_.size() - end;
    return r;
  }

  // With a pattern: the last q.lines matches in [floor, end); counts are of matches.
  ReadResult expected_matches(const ReadQuery& q, std::size_t floor, std::size_t end) const {
    auto matches = [&](std::size_t i) {
      std::string_view l = lines_[i];
      return q.pattern->search(l.substr(kStampLen + 1, l.size() - kStampLen - 2));
    };
    std::vector<std::size_t> hits;
    for (std::size_t i = floor; i < end; ++i)
      if (matches(i)) hits.push_back(i);
    ReadResult r;
    std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(q.lines, hits.size()));
    for (std::size_t k = hits.size() - take; k < hits.size(); ++k) r.lines.push_back(lines_[hits[k]]);
    r.lines_before = hits.size() - take;
    for (std::size_t i = end; i < lines_.size(); ++i) r.lines_after += matches(i) ? 1 : 0;
    return r;
  }

  // Reads with the writer's index and with none; both must match each other and the model.
  ReadResult read_both(const ReadQuery& q) const {
    SCOPED_TRACE(describe(q));
    ReadResult with_index = read_log(path_, &index_, q);
    ReadResult scanned = read_log(path_, nullptr, q);
    EXPECT_EQ(with_index.error, "");
    EXPECT_EQ(scanned.error, "");
    expect_same(with_index, scanned, "writer's index vs scanned index");
    return with_index;
  }

  void check(const ReadQuery& q) const {
    SCOPED_TRACE(describe(q));
    expect_same(read_both(q), expected(q), "read_log vs model");
  }

  // Only the writer's index (cheap): for many queries over big files.
  void check_with_index(const ReadQuery& q) const {
    SCOPED_TRACE(describe(q));
    ReadResult r = read_log(path_, &index_, q);
    EXPECT_EQ(r.error, "");
    expect_same(r, expected(q), "read_log (writer's index) vs model");
  }

  static void expect_same(const ReadResult& a, const ReadResult& b, const char* what) {
    EXPECT_EQ(a.lines_before, b.lines_before) << what;
    EXPECT_EQ(a.lines_after, b.lines_after) << what;
    EXPECT_EQ(a.lines.size(), b.lines.size()) << what;
    if (a.lines != b.lines) {
      ADD_FAILURE() << what << ": returned lines differ"
                    << (a.lines.empty() ? "" : "; first: [" + a.lines.front().substr(0, 60) + "]")
                    << (b.lines.empty() ? "" : " vs [" + b.lines.front().substr(0, 60) + "]");
    }
  }

 private:
  void add(LogFile& f, Millis stamp, const std::string& text) {
    f.append(stamp, text);
    stamps_.push_back(stamp);
    lines_.push_back(format_iso_ms(stamp) + " " + text + "\n");
  }

  std::string path_;
  LogIndex index_;
  std::vector<Millis> stamps_;
  std::vector<std::string> lines_;
};

// No byte budget here: these compare windows against a model (the budget has its own test).
constexpr std::uint64_t kNoBudget = ~std::uint64_t{0};
ReadQuery last(std::uint64_t n) { return ReadQuery{n, std::nullopt, std::nullopt, kNoBudget}; }
ReadQuery since(Millis t, std::uint64_t n = 100) { return ReadQuery{n, t, std::nullopt, kNoBudget}; }
ReadQuery before(Millis t, std::uint64_t n = 100) { return ReadQuery{n, std::nullopt, t, kNoBudget}; }
ReadQuery window(Millis s, Millis b, std::uint64_t n = 100) { return ReadQuery{n, s, b, kNoBudget}; }

std::string slurp(const std::string& path) { return test::read_file(path); }

// ---- LogFile ----

TEST(LogFile, WritesStampSpaceTextNewline) {
  TempDir dir;
  WrittenLog log(dir, "a.combined");
  log.write({{T0 + 21123, "listening on :5173"}, {T0 + 21124, ""}, {T0 + 22000, "héllo 😀"}});
  EXPECT_EQ(slurp(log.path()),
            "2025-07-06T14:30:21.123Z listening on :5173\n"
            "2025-07-06T14:30:21.124Z \n"
            "2025-07-06T14:30:22.000Z héllo 😀\n");
}

TEST(LogFile, IndexCountsLinesAndBytesAndStartsWithTheFirstLine) {
  TempDir dir;
  WrittenLog log(dir, "a.stdout");
  log.write({{T0 + 5, "one"}, {T0 + 6, "two"}});
  const LogIndex& idx = log.index();
  EXPECT_EQ(idx.lines, 2u);
  EXPECT_EQ(idx.size, slurp(log.path()).size());
  ASSERT_EQ(idx.checkpoints.size(), 1u);
  EXPECT_EQ(idx.checkpoints[0].offset, 0u);
  EXPECT_EQ(idx.checkpoints[0].line, 0u);
  EXPECT_EQ(idx.checkpoints[0].stamp, T0 + 5);
}

TEST(LogFile, CheckpointsAreLineStartsAtLeast64KiBApart) {
  TempDir dir;
  WrittenLog log(dir, "big.stdout");
  log.write_generated(
      20000, [](std::size_t i) { return T0 + static_cast<Millis>(i); },
      [](std::size_t i) { return "line " + std::to_string(i) + std::string(i % 17, '.'); });
  const LogIndex& idx = log.index();
  const std::string content = slurp(log.path());
  EXPECT_EQ(idx.lines, 20000u);
  EXPECT_EQ(idx.size, content.size());
  ASSERT_GT(idx.checkpoints.size(), 5u);
  // Offsets of every line start, from the model.
  std::vector<std::uint64_t> starts;
  std::uint64_t off = 0;
  for (const auto& l : log.lines()) {
    starts.push_back(off);
    off += l.size();
  }
  ASSERT_EQ(off, content.size());
  for (std::size_t k = 0; k < idx.checkpoints.size(); ++k) {
    const Checkpoint& cp = idx.checkpoints[k];
    SCOPED_TRACE("checkpoint " + std::to_string(k));
    ASSERT_LT(cp.line, starts.size());
    EXPECT_EQ(cp.offset, starts[cp.line]);
    EXPECT_EQ(cp.stamp, log.stamps()[cp.line]);
    if (k > 0) {
      const Checkpoint& prev = idx.checkpoints[k - 1];
      EXPECT_GE(cp.offset - prev.offset, LogFile::kCheckpointBytes);
      // The first line start at or past the 64 KiB mark.
      EXPECT_LT(starts[cp.line - 1], prev.offset + LogFile::kCheckpointBytes);
    }
  }
}

TEST(LogFile, OpenRefusesAnExistingFileAndLeavesIt) {
  TempDir dir;
  WrittenLog first(dir, "same.log");
  first.write({{T0, "old 1"}, {T0 + 1, "old 2"}, {T0 + 2, "old 3"}});
  LogFile second;
  EXPECT_NE(second.open(first.path()), "");
  EXPECT_FALSE(second.is_open());
  first.check(last(100));  // still all there
}

TEST(LogFile, OpenInMissingDirectoryReportsAnError) {
  TempDir dir;
  LogFile f;
  std::string err = f.open(dir.path() + "/no/such/dir/x.log");
  EXPECT_NE(err, "");
  EXPECT_FALSE(f.is_open());
}

// ---- read_log on a small file ----
//
// line:   0    1    2    3    4    5    6    7    8     9
// stamp: +0   +0  +100 +200 +200 +200 +500 +900 +1000 +1000   (ms after T0)

class SmallLog : public ::testing::Test {
 protected:
  void SetUp() override {
    const Millis offsets[] = {0, 0, 100, 200, 200, 200, 500, 900, 1000, 1000};
    std::vector<std::pair<Millis, std::string>> entries;
    for (int i = 0; i < 10; ++i) entries.push_back({T0 + offsets[i], "line " + std::to_string(i) + " é"});
    log.write(entries);
  }

  // Reads both ways, checks against the model, and returns the answer.
  ReadResult read(const ReadQuery& q) {
    log.check(q);
    return log.read_both(q);
  }

  TempDir dir;
  WrittenLog log{dir, "small.combined"};
};

TEST_F(SmallLog, LastNLines) {
  ReadResult r = read(last(3));
  EXPECT_EQ(r.lines, log.range(7, 10));
  EXPECT_EQ(r.lines_before, 7u);
  EXPECT_EQ(r.lines_after, 0u);
}

TEST_F(SmallLog, ReturnedLinesKeepStampPrefixAndNewline) {
  ReadResult r = read(last(2));
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0], "2025-07-06T14:30:01.000Z line 8 é\n");
  EXPECT_EQ(r.lines[1], "2025-07-06T14:30:01.000Z line 9 é\n");
}

TEST_F(SmallLog, LastOneLine) {
  ReadResult r = read(last(1));
  EXPECT_EQ(r.lines, log.range(9, 10));
  EXPECT_EQ(r.lines_before, 9u);
  EXPECT_EQ(r.lines_after, 0u);
}

TEST_F(SmallLog, ZeroLinesReturnsNothingPositionedAtTheEnd) {
  ReadResult r = read(last(0));
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.lines_before, 10u);
  EXPECT_EQ(r.lines_after, 0u);
}

TEST_F(SmallLog, MoreLinesThanTheFileReturnsAll) {
  for (std::uint64_t n : {std::uint64_t{10}, std::uint64_t{11}, std::uint64_t{100}, std::uint64_t{1} << 40}) {
    ReadResult r = read(last(n));
    EXPECT_EQ(r.lines, log.range(0, 10)) << n;
    EXPECT_EQ(r.lines_before, 0u);
    EXPECT_EQ(r.lines_after, 0u);
  }
}

TEST_F(SmallLog, SinceIsInclusiveOfLinesAtThatTime) {
  ReadResult r = read(since(T0 + 200));
  EXPECT_EQ(r.lines, log.range(3, 10));
  EXPECT_EQ(r.lines_before, 3u);
  EXPECT_EQ(r.lines_after, 0u);
}

TEST_F(SmallLog, SinceBetweenStampsStartsAtTheNextLine) {
  ReadResult r = read(since(T0 + 101));
  EXPECT_EQ(r.lines, log.range(3, 10));
  EXPECT_EQ(r.lines_before, 3u);
}

TEST_F(SmallLog, SinceAtTheFirstStampOrEarlierReturnsAll) {
  EXPECT_EQ(read(since(T0)).lines, log.range(0, 10));
  EXPECT_EQ(read(since(T0 - 86400000)).lines, log.range(0, 10));
  EXPECT_EQ(read(since(0)).lines, log.range(0, 10));
}

TEST_F(SmallLog, SinceWithFewerLinesKeepsTheLastOnes) {
  ReadResult r = read(since(T0 + 200, 2));
  EXPECT_EQ(r.lines, log.range(8, 10));
  EXPECT_EQ(r.lines_before, 8u);
  EXPECT_EQ(r.lines_after, 0u);
}

TEST_F(SmallLog, SinceAfterTheLastLineReturnsNothing) {
  ReadResult r = read(since(T0 + 1001));
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.lines_before, 10u);
  EXPECT_EQ(r.lines_after, 0u);
}

TEST_F(SmallLog, BeforeIsExclusiveOfLinesAtThatTime) {
  ReadResult r = read(before(T0 + 200));
  EXPECT_EQ(r.lines, log.range(0, 3));
  EXPECT_EQ(r.lines_before, 0u);
  EXPECT_EQ(r.lines_after, 7u);
}

TEST_F(SmallLog, BeforeJustAfterAStampIncludesAllLinesAtThatStamp) {
  ReadResult r = read(before(T0 + 201));
  EXPECT_EQ(r.lines, log.range(0, 6));
  EXPECT_EQ(r.lines_before, 0u);
  EXPECT_EQ(r.lines_after, 4u);
}

TEST_F(SmallLog, BeforeWithFewerLinesKeepsTheLastOnesOfTheWindow) {
  ReadResult r = read(before(T0 + 200, 1));
  EXPECT_EQ(r.lines, log.range(2, 3));
  EXPECT_EQ(r.lines_before, 2u);
  EXPECT_EQ(r.lines_after, 7u);
}

TEST_F(SmallLog, BeforeTheFirstLineReturnsNothing) {
  ReadResult r = read(before(T0));
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.lines_before, 0u);
  EXPECT_EQ(r.lines_after, 10u);
}

TEST_F(SmallLog, BeforeAfterTheLastLineReturnsTheTail) {
  ReadResult r = read(before(T0 + 1001, 4));
  EXPECT_EQ(r.lines, log.range(6, 10));
  EXPECT_EQ(r.lines_before, 6u);
  EXPECT_EQ(r.lines_after, 0u);
}

TEST_F(SmallLog, SinceAndBeforeTogether) {
  ReadResult r = read(window(T0 + 100, T0 + 900));
  EXPECT_EQ(r.lines, log.range(2, 7));
  EXPECT_EQ(r.lines_before, 2u);
  EXPECT_EQ(r.lines_after, 3u);
}

TEST_F(SmallLog, SinceAndBeforeWithFewerLines) {
  ReadResult r = read(window(T0 + 100, T0 + 900, 2));
  EXPECT_EQ(r.lines, log.range(5, 7));
  EXPECT_EQ(r.lines_before, 5u);
  EXPECT_EQ(r.lines_after, 3u);
}

TEST_F(SmallLog, WindowOfOneStampValue) {
  ReadResult r = read(window(T0 + 200, T0 + 201));
  EXPECT_EQ(r.lines, log.range(3, 6));
  EXPECT_EQ(r.lines_before, 3u);
  EXPECT_EQ(r.lines_after, 4u);
}

TEST_F(SmallLog, WindowBetweenLinesReturnsNothingAndSaysWhereItIs) {
  ReadResult r = read(window(T0 + 300, T0 + 400));
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.lines_before, 6u);
  EXPECT_EQ(r.lines_after, 4u);
}

TEST_F(SmallLog, EmptyWindowWhenSinceEqualsBefore) {
  ReadResult r = read(window(T0 + 200, T0 + 200));
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.lines_before, 3u);
  EXPECT_EQ(r.lines_after, 7u);
}

TEST_F(SmallLog, InvertedWindowReturnsNothing) {
  ReadResult r = log.read_both(window(T0 + 900, T0 + 100));
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.lines_before + r.lines_after, 10u);
}

TEST_F(SmallLog, ZeroLinesWithATimeWindow) {
  ReadResult r = read(window(T0 + 100, T0 + 900, 0));
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.lines_before + r.lines_after, 10u);
}

TEST_F(SmallLog, CountsAlwaysAddUpToTheFile) {
  const std::vector<Millis> times = {T0 - 1, T0, T0 + 1, T0 + 100, T0 + 150, T0 + 200, T0 + 500, T0 + 999, T0 + 1000, T0 + 2000};
  for (std::uint64_t n : {0, 1, 2, 5, 100}) {
    for (Millis s : times) {
      for (Millis b : times) {
        ReadQuery q = window(s, b, n);
        log.check(q);
        ReadResult r = read_log(log.path(), &log.index(), q);
        EXPECT_EQ(r.lines_before + r.lines.size() + r.lines_after, 10u) << describe(q);
      }
    }
  }
}

// ---- empty and missing files ----

TEST(ReadLog, EmptyFileHasNoLines) {
  TempDir dir;
  WrittenLog log(dir, "empty.stderr");
  log.write({});
  EXPECT_EQ(log.index().lines, 0u);
  for (const ReadQuery& q : {last(100), last(0), since(T0), before(T0), window(T0, T0 + 1)}) {
    ReadResult r = log.read_both(q);
    EXPECT_TRUE(r.lines.empty());
    EXPECT_EQ(r.lines_before, 0u);
    EXPECT_EQ(r.lines_after, 0u);
  }
}

TEST(ReadLog, MissingFileIsAnError) {
  TempDir dir;
  const std::string path = dir.path() + "/1234.gone.combined";
  ReadResult scanned = read_log(path, nullptr, last(10));
  EXPECT_NE(scanned.error, "");
  EXPECT_TRUE(scanned.lines.empty());
  LogIndex idx;
  ReadResult indexed = read_log(path, &idx, since(T0));
  EXPECT_NE(indexed.error, "");
  EXPECT_TRUE(indexed.lines.empty());
}

TEST(ReadLog, SingleLine) {
  TempDir dir;
  WrittenLog log(dir, "one.stdout");
  log.write({{T0, "only"}});
  for (const ReadQuery& q : {last(1), last(5), last(0), since(T0), since(T0 + 1), before(T0), before(T0 + 1)}) log.check(q);
  EXPECT_EQ(log.read_both(last(1)).lines, (std::vector<std::string>{"2025-07-06T14:30:00.000Z only\n"}));
}

// ---- big files: many 64 KiB checkpoints ----

// 200k lines; stamps come in groups of 7 equal values 3 ms apart, so there are duplicate
// stamps across checkpoint boundaries and time gaps that hold no line.
class BigLog : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new TempDir;
    log = new WrittenLog(*dir, "big.combined");
    log->write_generated(
        kLines, [](std::size_t i) { return T0 + static_cast<Millis>(i / 7) * 3; },
        [](std::size_t i) { return "line " + std::to_string(i) + " " + std::string(i % 23, 'x'); });
  }
  static void TearDownTestSuite() {
    delete log;
    delete dir;
  }
  static Millis stamp_of_line(std::size_t i) { return log->stamps()[i]; }

  static constexpr std::size_t kLines = 200000;
  static TempDir* dir;
  static WrittenLog* log;
};
TempDir* BigLog::dir = nullptr;
WrittenLog* BigLog::log = nullptr;

TEST_F(BigLog, SpansManyCheckpoints) {
  EXPECT_EQ(log->index().lines, kLines);
  EXPECT_GT(log->index().checkpoints.size(), 50u);
  EXPECT_EQ(log->index().size, slurp(log->path()).size());
}

TEST_F(BigLog, LastNAgreesWithScanAndModel) {
  for (std::uint64_t n : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{100}, std::uint64_t{5000},
                          std::uint64_t{kLines}, std::uint64_t{kLines + 1}})
    log->check(last(n));
}

TEST_F(BigLog, TimeWindowsAgreeWithScanAndModel) {
  const Millis mid = stamp_of_line(kLines / 2);
  log->check(since(mid));
  log->check(before(mid));
  log->check(window(stamp_of_line(1000), stamp_of_line(150000), 50));
  log->check(window(mid + 1, mid + 2));                        // falls between two stamp groups
  log->check(since(stamp_of_line(kLines - 1) + 1));            // after everything
  log->check(before(T0));                                      // before everything
  log->check(window(stamp_of_line(12345), stamp_of_line(190000), 200000));
}

TEST_F(BigLog, EveryCheckpointStampAsAWindowEdge) {
  // Around each checkpoint: exact stamp, one ms before and after, as since and as before.
  for (const Checkpoint& cp : log->index().checkpoints) {
    for (Millis d : {-1, 0, 1}) {
      Millis t = cp.stamp + d;
      log->check_with_index(since(t, 10));
      log->check_with_index(before(t, 10));
      log->check_with_index(window(t, t + 3, 100));
    }
  }
}

TEST_F(BigLog, SinceReturnsExactlyTheFirstLineOfAGroupThatStraddlesACheckpoint) {
  int straddling = 0;
  for (const Checkpoint& cp : log->index().checkpoints) {
    if (cp.line == 0 || log->stamps()[cp.line - 1] != cp.stamp) continue;  // group starts at the checkpoint
    ++straddling;
    std::size_t group_start = cp.line - 1;
    while (group_start > 0 && log->stamps()[group_start - 1] == cp.stamp) --group_start;
    ReadResult r = read_log(log->path(), &log->index(), window(cp.stamp, cp.stamp + 1));
    ASSERT_FALSE(r.lines.empty());
    EXPECT_EQ(r.lines_before, group_start);
    EXPECT_EQ(r.lines.front(), log->lines()[group_start]);
    EXPECT_EQ(r.lines.back().substr(0, kStampLen), format_iso_ms(cp.stamp));
    EXPECT_EQ(r.lines_before + r.lines.size() + r.lines_after, kLines);
  }
  EXPECT_GT(straddling, 0) << "test data should put some equal-stamp groups across checkpoints";
}

// A long run of one stamp covering several checkpoints.
TEST(ReadLog, RunOfEqualStampsSpanningSeveralCheckpoints) {
  TempDir dir;
  WrittenLog log(dir, "run.stdout");
  log.write_generated(
      12000,
      [](std::size_t i) { return i < 100 ? T0 + 1 : i < 9100 ? T0 + 2 : T0 + 3 + static_cast<Millis>(i - 9100); },
      [](std::size_t i) { return "entry " + std::to_string(i) + " " + std::string(30, 'r'); });
  ASSERT_GT(log.index().checkpoints.size(), 4u);
  ReadResult r = log.read_both(since(T0 + 2, 12000));
  EXPECT_EQ(r.lines_before, 100u);
  ASSERT_FALSE(r.lines.empty());
  EXPECT_EQ(r.lines.front(), log.lines()[100]);
  r = log.read_both(before(T0 + 3, 1));
  EXPECT_EQ(r.lines, log.range(9099, 9100));
  EXPECT_EQ(r.lines_after, 12000u - 9100u);
  for (const ReadQuery& q : {since(T0 + 2, 12000), before(T0 + 2), before(T0 + 3, 20), window(T0 + 2, T0 + 3, 5000),
                             window(T0 + 2, T0 + 3, 0), since(T0 + 1), window(T0 + 1, T0 + 2, 1000)})
    log.check(q);
}

// ---- lines of about 64 KiB ----

TEST(ReadLog, LinesOfAbout64KiB) {
  TempDir dir;
  WrittenLog log(dir, "wide.stdout");
  const std::size_t K = 64 * 1024;
  const std::vector<std::size_t> sizes = {10,    K - 26, K - 25, K - 24, K,      K + 1, 5,      K + 100,
                                          2 * K, 3,      K - 1,  K,      K / 2,  K,     K + 26, 1};
  std::vector<std::pair<Millis, std::string>> entries;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    std::string text(sizes[i], static_cast<char>('a' + i));
    entries.push_back({T0 + static_cast<Millis>(i / 2) * 10, text});
  }
  log.write(entries);
  const std::size_t n = sizes.size();
  ASSERT_GT(log.index().checkpoints.size(), 8u);
  for (std::uint64_t k : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{5}, std::uint64_t{n},
                          std::uint64_t{n + 3}})
    log.check(last(k));
  for (std::size_t i = 0; i < n; ++i) {
    Millis t = log.stamps()[i];
    log.check(since(t));
    log.check(before(t));
    log.check(since(t, 1));
    log.check(before(t, 1));
    log.check(window(t, t + 10, 100));
    log.check(window(t - 5, t + 25, 2));
  }
  ReadResult r = log.read_both(last(3));
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[1].size(), kStampLen + 1 + (K + 26) + 1);
  EXPECT_EQ(r.lines[1].back(), '\n');
}

}  // namespace
}  // namespace pp

namespace pp {
namespace {

TEST(LogReader, AByteBudgetCutsTheAnswerAndCountsTheRestAsBefore) {
  test::TempDir dir;
  LogFile f;
  std::string path = dir.path() + "/budget.combined";
  ASSERT_EQ(f.open(path), "");
  for (int i = 0; i < 10; ++i) f.append(1000 + i, std::string(75, static_cast<char>('a' + i)));  // 100-byte lines
  f.flush();
  ReadQuery q;
  q.lines = 10;
  q.max_bytes = 350;
  ReadResult r = read_log(path, &f.index(), q);
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines.back().substr(25, 1), "j");
  EXPECT_EQ(r.lines_before, 7u);
  EXPECT_EQ(r.lines_after, 0u);
  q.max_bytes = 10;  // smaller than one line: that one line still comes
  r = read_log(path, nullptr, q);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines_before, 9u);
}

}  // namespace
}  // namespace pp

// ---- pattern (grep): matching lines only, counts of matches ----

namespace pp {
namespace {

std::shared_ptr<const Pattern> compiled(const std::string& text) {
  std::string err;
  auto p = Pattern::compile(text, err);
  EXPECT_TRUE(p) << err;
  return p;
}

ReadQuery grep(const Pattern& p, std::uint64_t n, std::optional<Millis> since = std::nullopt,
               std::optional<Millis> before = std::nullopt) {
  ReadQuery q;
  q.lines = n;
  q.since = since;
  q.before = before;
  q.pattern = &p;
  q.max_bytes = UINT64_MAX;  // the model knows no byte budget; GrepKeepsToTheByteBudget covers it
  return q;
}

TEST_F(BigLog, GrepAgreesWithTheModelForPlainAnchoredAndAbsentPatterns) {
  for (const char* text : {"line 1234 ", "x{22}", "^line 19999", "line \\d+5 x{3}$", "no such text", "^", "e 7"}) {
    auto p = compiled(text);
    for (std::uint64_t n : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{100}, std::uint64_t{kLines}})
      log->check(grep(*p, n));
  }
}

TEST_F(BigLog, GrepWithinTimeWindowsCountsMatchesOnBothSides) {
  auto p = compiled("x{20}");
  const Millis mid = stamp_of_line(kLines / 2);
  log->check(grep(*p, 10, mid));
  log->check(grep(*p, 10, std::nullopt, mid));
  log->check(grep(*p, 1000, stamp_of_line(1000), stamp_of_line(150000)));
  log->check(grep(*p, 5, mid + 1, mid + 2));
}

TEST(ReadLogGrep, LinesLongerThanAReadBlockAreMatchedWhole) {
  TempDir dir;
  WrittenLog log(dir, "long.combined");
  std::string big(3 * 1024 * 1024, 'y');
  log.write({{T0, "first"}, {T0 + 1, big + "NEEDLE" + big}, {T0 + 2, "NEEDLE short"}, {T0 + 3, big}, {T0 + 4, "last"}});
  auto p = compiled("NEEDLE");
  log.check(grep(*p, 10));
  log.check(grep(*p, 1));
  auto r = read_log(log.path(), &log.index(), grep(*p, 10));
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].size(), kStampLen + 1 + big.size() * 2 + 6 + 1);
}

TEST_F(BigLog, GrepKeepsToTheByteBudgetAndCountsTheRest) {
  auto p = compiled("^");
  ReadQuery q = grep(*p, kLines);
  q.max_bytes = 64 * 1024;
  auto r = read_log(log->path(), &log->index(), q);
  std::uint64_t bytes = 0;
  for (const auto& l : r.lines) bytes += l.size();
  EXPECT_LE(bytes, q.max_bytes);
  EXPECT_GT(bytes, q.max_bytes - 100);
  EXPECT_EQ(r.lines_before + r.lines.size(), kLines);
  EXPECT_EQ(r.lines.back(), log->lines().back());
}

TEST(ReadLogGrep, StampsAreNotSearched) {
  TempDir dir;
  WrittenLog log(dir, "stamps.combined");
  log.write({{T0, "a"}, {T0 + 1, "b"}});
  auto p = compiled("2025-07-06");
  auto r = read_log(log.path(), &log.index(), grep(*p, 10));
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.lines_before + r.lines_after, 0u);
}

}  // namespace
}  // namespace pp
