// The raw `.tty` log: bytes as given, rotation past the cap, and its tail as text.
#include "supervise/raw_log.hpp"

#include <gtest/gtest.h>

#include "core/log_paths.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using test::read_file;
using test::TempDir;

TEST(RawLog, KeepsTheBytesAsGiven) {
  TempDir dir;
  std::string path = dir.path() + "/1.x.tty";
  RawLog log;
  ASSERT_EQ(log.open(path), "");
  log.append("\x1b[31mred\x1b[0m\r\n");
  log.append("half");
  log.flush();
  EXPECT_EQ(read_file(path), "\x1b[31mred\x1b[0m\r\nhalf");
}

TEST(RawLog, RotatesToOneBackupPastTheCap) {
  TempDir dir;
  std::string path = dir.path() + "/1.x.tty";
  RawLog log;
  ASSERT_EQ(log.open(path), "");
  log.set_max_size(10);
  log.append("0123456789");
  log.flush();
  log.append("abc");
  log.flush();
  log.close();
  EXPECT_EQ(read_file(backup_path(path)), "0123456789");
  EXPECT_EQ(read_file(path), "abc");
}

TEST(RawLog, TailIsTheLastLinesAsValidText) {
  TempDir dir;
  std::string path = dir.path() + "/1.x.tty";
  RawLog log;
  ASSERT_EQ(log.open(path), "");
  log.append("one\r\n\x1b[1mtwo\x1b[0m\r\nbad \xff\r\nlast");
  log.flush();
  ReadResult r = read_raw_tail(path, 2);
  EXPECT_EQ(r.error, "");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0], "bad \xEF\xBF\xBD\r\n");
  EXPECT_EQ(r.lines[1], "last");
  EXPECT_EQ(r.lines_before, 2u);
  EXPECT_NE(read_raw_tail(dir.path() + "/none.tty", 5).error, "");
}

TEST(RawLog, TailGoesOnIntoTheBackupAfterARotation) {
  TempDir dir;
  std::string path = dir.path() + "/1.x.tty";
  RawLog log;
  ASSERT_EQ(log.open(path), "");
  log.set_max_size(16);
  log.append("one\r\ntwo\r\nthr");  // a line cut in two by the rotation
  log.flush();
  log.append("ee\r\nfour\r\n");
  log.flush();
  ASSERT_EQ(read_file(path), "ee\r\nfour\r\n");
  ReadResult r = read_raw_tail(path, 3);
  EXPECT_EQ(r.error, "");
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0], "two\r\n");
  EXPECT_EQ(r.lines[1], "three\r\n");
  EXPECT_EQ(r.lines[2], "four\r\n");
  EXPECT_EQ(r.lines_before, 1u);
}

}  // namespace
}  // namespace pp
