// LogFollower across rotations: the old file is read to its end, then the next one,
// with no line lost or repeated. Each step awaits the inotify event it relies on.
#include "client/log_follower.hpp"

#include <gtest/gtest.h>
#include <stdio.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "core/log_paths.hpp"
#include "core/timestamp.hpp"
#include "supervise/log_file.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using test::TempDir;

constexpr Millis T0 = 1751812200000;

class FollowAcrossRotation : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(log.open(path), "");
    log.set_max_size(1000);  // ten of the 100-byte lines below
  }

  // The text of line k: "n<k>..." padded so that with stamp and newline it is 100 bytes.
  static std::string text_of(int k) {
    std::string text = "n" + std::to_string(k);
    text.resize(100 - kStampLen - 2, '.');
    return text;
  }
  // Appends the next n lines.
  void write(int n) {
    for (int i = 0; i < n; ++i, ++written) {
      log.append(T0 + written, text_of(written));
      log.flush();
    }
  }
  // The numbers of the lines read, in order.
  std::vector<int> read() {
    std::vector<int> got;
    for (const auto& l : follower.read_lines()) {
      EXPECT_EQ(l.text.size(), 99u) << l.text;
      got.push_back(std::stoi(l.text.substr(kStampLen + 2)));
    }
    return got;
  }
  static std::vector<int> range(int from, int to) {
    std::vector<int> v;
    for (int i = from; i < to; ++i) v.push_back(i);
    return v;
  }
  // Awaits the follower's wake-up (fails the test after the bound).
  void await_change() { test::run_co(ioc, follower.changed(), std::chrono::seconds(10)); }

  boost::asio::io_context ioc;
  TempDir dir;
  std::string path = dir.path() + "/7.x.combined";
  LogFile log;
  client::LogFollower follower{ioc.get_executor()};
  int written = 0;
};

TEST_F(FollowAcrossRotation, ReadsAcrossOneRotation) {
  write(5);
  ASSERT_EQ(follower.follow(path, false), "");
  EXPECT_EQ(read(), range(0, 5));
  write(10);  // 5-9 end the first file, 10-14 start the next
  ASSERT_EQ(log.rotations(), 1u);
  await_change();
  EXPECT_EQ(read(), range(5, 15));
  write(1);
  await_change();
  EXPECT_EQ(read(), range(15, 16));
  EXPECT_EQ(follower.position(), 1600u);
}

TEST_F(FollowAcrossRotation, TwoRotationsBetweenReadsLoseNothing) {
  write(5);
  ASSERT_EQ(follower.follow(path, false), "");
  EXPECT_EQ(read(), range(0, 5));
  write(20);  // 0-9 is gone from the disk, 10-19 is the backup, 20-24 current
  ASSERT_EQ(log.rotations(), 2u);
  await_change();
  EXPECT_EQ(read(), range(5, 25));
  write(3);
  await_change();
  EXPECT_EQ(read(), range(25, 28));
}

TEST_F(FollowAcrossRotation, ManyRotationsReadStepByStep) {
  ASSERT_EQ(follower.follow(path, false), "");
  for (int step = 0; step < 12; ++step) {
    int from = written;
    write(7);
    await_change();
    EXPECT_EQ(read(), range(from, written)) << "step " << step;
  }
  EXPECT_GE(log.rotations(), 7u);
}

TEST_F(FollowAcrossRotation, WaitsForTheNewFileBetweenTheRenameAndItsCreation) {
  log.set_max_size(LogFile::kNoLimit);
  write(3);
  ASSERT_EQ(follower.follow(path, false), "");
  EXPECT_EQ(read(), range(0, 3));
  write(2);
  log.close();
  // A rotation caught halfway: renamed, not yet created again.
  ASSERT_EQ(::rename(path.c_str(), backup_path(path).c_str()), 0);
  await_change();
  EXPECT_EQ(read(), range(3, 5));
  EXPECT_EQ(read(), std::vector<int>{});
  std::ofstream(path) << format_iso_ms(T0 + 5) << ' ' << text_of(5) << '\n';
  await_change();
  EXPECT_EQ(read(), range(5, 6));
}

TEST_F(FollowAcrossRotation, FromTheStartBeginsWithTheBackup) {
  write(15);
  ASSERT_EQ(log.rotations(), 1u);
  ASSERT_EQ(follower.follow(path, false), "");
  EXPECT_EQ(read(), range(0, 15));
}

TEST_F(FollowAcrossRotation, FromTheEndPositionsCountTheBackupSoAReReadLinesUp) {
  write(15);
  ASSERT_EQ(follower.follow(path, true), "");
  EXPECT_EQ(follower.position(), 1500u);
  EXPECT_EQ(read(), std::vector<int>{});
  write(1);
  await_change();
  EXPECT_EQ(read(), range(15, 16));
  // From the start again: the same line has the same end position.
  ASSERT_EQ(follower.follow(path, false), "");
  auto lines = follower.read_lines();
  ASSERT_EQ(lines.size(), 16u);
  EXPECT_EQ(lines.back().end, 1600u);
}

TEST_F(FollowAcrossRotation, FromTheEndSkipsALineCaughtHalfWritten) {
  write(2);
  std::ofstream(path, std::ios::app) << format_iso_ms(T0 + 2) << " half";
  ASSERT_EQ(follower.follow(path, true), "");
  std::ofstream(path, std::ios::app) << " of a line\n" << format_iso_ms(T0 + 3) << ' ' << text_of(3) << '\n';
  await_change();
  EXPECT_EQ(read(), range(3, 4));
}

TEST_F(FollowAcrossRotation, ABackupThatIsTheCurrentFileIsReadOnce) {
  // As when a rotation renames the log between follow()'s two opens: both names, one file.
  write(3);
  ASSERT_EQ(::link(path.c_str(), backup_path(path).c_str()), 0);
  ASSERT_EQ(follower.follow(path, false), "");
  EXPECT_EQ(read(), range(0, 3));
  ASSERT_EQ(follower.follow(path, true), "");
  EXPECT_EQ(follower.position(), 300u);
}

TEST_F(FollowAcrossRotation, AMissingLogIsAnErrorNamingIt) {
  EXPECT_EQ(follower.follow(dir.path() + "/nope.combined", false),
            "cannot read " + dir.path() + "/nope.combined: No such file or directory");
}

}  // namespace
}  // namespace pp
