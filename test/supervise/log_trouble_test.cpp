// Logs on a bad day: a recycled pid never reuses an ended instance's files, a full
// disk drops whole lines only (counted, reported once writing works again, the
// index exact), and files or their directory deleted under a running instance are
// started again. The full disk is a file size limit (RLIMIT_FSIZE): writes past it
// fail with EFBIG exactly as on a full file system, without needing a mount.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>

#include "core/log_paths.hpp"
#include "supervise/log_set.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using test::read_file;

constexpr Millis T0 = 1751812200000;  // 2025-07-06T14:30:00.000Z

std::size_t lines_in(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

// Every line is "<24-character stamp> <text>": none glued from two halves.
void expect_whole_lines(const std::string& text) {
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = text.substr(start, nl - start);
    EXPECT_TRUE(parse_line_stamp(line)) << line;
    EXPECT_EQ(line.find('Z', 24), std::string::npos) << "two stamps in one line: " << line;
  }
  EXPECT_EQ(start, text.size()) << "a partial line at the end";
}

// A file size limit for the life of the object: past it writes fail (EFBIG), as on a full disk.
class DiskLimit {
 public:
  explicit DiskLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_ = ::signal(SIGXFSZ, SIG_IGN);  // else the first write past it kills the process
    set(bytes);
  }
  ~DiskLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, old_);
  }
  void set(rlim_t bytes) {
    rlimit r = saved_;
    r.rlim_cur = bytes;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &r), 0);
  }
  void lift() { ::setrlimit(RLIMIT_FSIZE, &saved_); }

 private:
  rlimit saved_{};
  sighandler_t old_{};
};

class LogTrouble : public ::testing::Test {
 protected:
  boost::asio::io_context ioc;
  test::TempDir dir;
  std::string log_dir = dir.path() + "/process_logs";
  void SetUp() override { ASSERT_EQ(::mkdir(log_dir.c_str(), 0700), 0); }
};

TEST_F(LogTrouble, ARecycledPidGetsNewNamesAndTheOldLogsStay) {
  {
    LogSet old(ioc.get_executor());
    ASSERT_EQ(old.open_unique(log_dir, 4242, {"sh", "-c", "echo"}, false), "");
    old.write_line(Stream::out, "OLD", T0);
    old.close();
  }
  LogSet fresh(ioc.get_executor());
  ASSERT_EQ(fresh.open_unique(log_dir, 4242, {"sh", "-c", "echo"}, true), "");
  fresh.write_line(Stream::out, "NEW", T0);
  fresh.close();
  EXPECT_EQ(fresh.paths().combined_path, log_dir + "/4242-2.sh_-c_echo.combined");
  EXPECT_EQ(fresh.paths().tty_path, log_dir + "/4242-2.sh_-c_echo.tty");
  EXPECT_NE(read_file(log_dir + "/4242.sh_-c_echo.combined").find("OLD"), std::string::npos);
  EXPECT_EQ(read_file(log_dir + "/4242.sh_-c_echo.combined").find("NEW"), std::string::npos);
  EXPECT_NE(read_file(fresh.paths().combined_path).find("NEW"), std::string::npos);
}

TEST_F(LogTrouble, ABackupLeftAloneAlsoTakesItsName) {
  std::ofstream(log_dir + "/9.ls.combined.1") << "an ended instance's older lines\n";
  LogSet set(ioc.get_executor());
  ASSERT_EQ(set.open_unique(log_dir, 9, {"ls"}, false), "");
  EXPECT_EQ(set.paths().combined_path, log_dir + "/9-2.ls.combined");
  EXPECT_EQ(read_file(log_dir + "/9.ls.combined.1"), "an ended instance's older lines\n");
}

TEST_F(LogTrouble, AnExistingFileIsNeverTruncated) {
  LogPaths p = log_paths_for(log_dir, 1, {"ls"});
  std::ofstream(p.combined_path) << "precious\n";
  LogSet set(ioc.get_executor());
  EXPECT_NE(set.open(p), "");
  EXPECT_EQ(read_file(p.combined_path), "precious\n");
  EXPECT_FALSE(std::filesystem::exists(p.stdout_path));  // nothing half-created is left
}

TEST_F(LogTrouble, AFullDiskDropsWholeLinesCountsThemAndResumes) {
  LogSet set(ioc.get_executor());
  ASSERT_EQ(set.open_unique(log_dir, 7, {"flood"}, false), "");
  const std::string line(70, 'x');  // 95 bytes a line with its stamp
  {
    DiskLimit full(1000);  // 10 lines and part of an 11th fit
    for (int i = 0; i < 30; ++i) set.write_line(Stream::out, line, T0);
    set.flush();
    const LogFile& out = set.file(Stream::out);
    EXPECT_TRUE(out.failing());
    EXPECT_EQ(out.lost(), 20u);
    std::string text = read_file(out.path());
    expect_whole_lines(text);
    EXPECT_EQ(lines_in(text), 10u);
    EXPECT_EQ(out.index().lines, 10u);
    EXPECT_EQ(out.index().size, text.size());
    full.lift();  // space is back
    set.write_line(Stream::out, "after", T0);
    set.flush();
  }
  const LogFile& out = set.file(Stream::out);
  EXPECT_FALSE(out.failing());
  std::string text = read_file(out.path());
  expect_whole_lines(text);
  EXPECT_EQ(lines_in(text), 11u);
  EXPECT_EQ(out.index().lines, 11u);
  EXPECT_EQ(out.index().size, text.size());
  std::string combined = read_file(set.paths().combined_path);
  expect_whole_lines(combined);
  EXPECT_NE(combined.find("[SYSTEM] Lost 20 lines of stdout: they could not be written ("), std::string::npos)
      << combined;
  EXPECT_NE(combined.find("[SYSTEM] Lost 20 lines of combined: they could not be written ("), std::string::npos)
      << combined;
  EXPECT_NE(combined.find(" after\n"), std::string::npos);
}

TEST_F(LogTrouble, FilesDeletedUnderARunningInstanceAreStartedAgain) {
  LogSet set(ioc.get_executor());
  ASSERT_EQ(set.open_unique(log_dir, 7, {"server"}, true), "");
  set.write_line(Stream::out, "before", T0);
  set.write_raw("before\r\n");
  set.flush();
  std::filesystem::remove_all(log_dir);  // `rm -rf process_logs`
  set.write_line(Stream::out, "after", T0);
  set.write_raw("after\r\n");
  set.flush();
  struct stat st {};
  ASSERT_EQ(::stat(log_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  std::string out = read_file(set.paths().stdout_path);
  EXPECT_EQ(lines_in(out), 1u);
  EXPECT_NE(out.find(" after\n"), std::string::npos);
  EXPECT_EQ(set.file(Stream::out).index().lines, 1u);
  EXPECT_EQ(set.file(Stream::out).index().size, out.size());
  EXPECT_EQ(read_file(set.paths().tty_path), "after\r\n");
  std::string combined = read_file(set.paths().combined_path);
  EXPECT_NE(combined.find("[SYSTEM] Log file " + set.paths().stdout_path + " was deleted while in use"),
            std::string::npos)
      << combined;
}

}  // namespace
}  // namespace pp
