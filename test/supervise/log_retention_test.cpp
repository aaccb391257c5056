// Log retention: old logs of processes that left the table, and old server logs, are
// deleted; current logs, logs of listed instances and files that are not logs stay.
// Ages are set with utimensat; the periodic sweep is awaited through its callback.
#include "supervise/log_retention.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/event.hpp"
#include "core/log_paths.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::TempDir;

constexpr auto kDay = std::chrono::hours(24);

class LogRetention : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(log_dir);
    sup = std::make_unique<Supervisor>(ioc.get_executor(), log_dir, StopTimings{300ms, 5s});
    policy = {std::chrono::duration_cast<std::chrono::seconds>(7 * kDay), log_dir, data.path(), server_log};
  }
  void TearDown() override { test::run_co(ioc, sup->shutdown(true)); }

  // Creates (or keeps) `path` and sets its modification time `age` into the past.
  static void age(const std::string& path, Clock::duration how_old) {
    if (!std::filesystem::exists(path)) std::ofstream(path) << "2025-07-06T14:30:00.000Z x\n";
    auto t = std::chrono::duration_cast<std::chrono::nanoseconds>((Clock::now() - how_old).time_since_epoch());
    timespec times[2];
    times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(t.count() / 1000000000);
    times[0].tv_nsec = times[1].tv_nsec = static_cast<long>(t.count() % 1000000000);
    ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
  }
  static bool exists(const std::string& path) { return std::filesystem::exists(path); }

  // A listed instance whose log files are all (made) older than the retention.
  std::shared_ptr<Process> old_listed_instance() {
    ProcessSpec spec{{test::kHelper, "pause"}, data.path(), {}, ""};
    auto started = sup->start(std::move(spec));
    EXPECT_EQ(started.error, "");
    // It writes nothing after its start line, and the io_context does not run until
    // the sweep: its files keep the age given here.
    for (const std::string& p : {started.process->logs().stdout_path, started.process->logs().stderr_path,
                                 started.process->logs().combined_path})
      age(p, 30 * kDay);
    age(backup_path(started.process->logs().combined_path), 30 * kDay);
    return started.process;
  }

  asio::io_context ioc;
  asio::steady_timer timer{ioc};  // the periodic sweep's; a member so it outlives the loop
  TempDir data;
  std::string log_dir = data.path() + "/process_logs";
  std::string server_log = data.path() + "/persistproc.run.2025-07-06T14-30-00.000Z.log";
  std::unique_ptr<Supervisor> sup;
  RetentionPolicy policy;
};

TEST_F(LogRetention, DeletesOldLogsOfProcessesNoLongerListed) {
  std::string gone = log_dir + "/111.gone.stdout";
  age(gone, 8 * kDay);
  age(backup_path(gone), 8 * kDay);
  age(log_dir + "/111.gone.combined", 7 * kDay + 1h);
  std::string recent = log_dir + "/112.recent.combined";
  age(recent, 6 * kDay);
  auto deleted = sweep_old_logs(policy, *sup);
  EXPECT_EQ(std::set<std::string>(deleted.begin(), deleted.end()),
            (std::set<std::string>{gone, backup_path(gone), log_dir + "/111.gone.combined"}));
  EXPECT_FALSE(exists(gone));
  EXPECT_FALSE(exists(backup_path(gone)));
  EXPECT_TRUE(exists(recent));
}

TEST_F(LogRetention, KeepsEveryLogOfAnInstanceInTheTableHoweverOld) {
  auto inst = old_listed_instance();
  std::string gone = log_dir + "/111.gone.stderr";
  age(gone, 8 * kDay);
  auto deleted = sweep_old_logs(policy, *sup);
  EXPECT_EQ(deleted, std::vector<std::string>{gone});
  for (const std::string& p : {inst->logs().stdout_path, inst->logs().stderr_path, inst->logs().combined_path,
                               backup_path(inst->logs().combined_path)})
    EXPECT_TRUE(exists(p)) << p;
}

TEST_F(LogRetention, DeletesOldServerLogsButNotTheCurrentOne) {
  age(server_log, 30 * kDay);
  age(backup_path(server_log), 30 * kDay);
  std::string earlier = data.path() + "/persistproc.run.2025-06-01T00-00-00.000Z.log";
  age(earlier, 8 * kDay);
  age(backup_path(earlier), 9 * kDay);
  std::string recent = data.path() + "/persistproc.run.2025-07-05T00-00-00.000Z.log";
  age(recent, 1 * kDay);
  sweep_old_logs(policy, *sup);
  EXPECT_TRUE(exists(server_log));
  EXPECT_TRUE(exists(backup_path(server_log)));
  EXPECT_FALSE(exists(earlier));
  EXPECT_FALSE(exists(backup_path(earlier)));
  EXPECT_TRUE(exists(recent));
}

TEST_F(LogRetention, LeavesFilesThatAreNotLogsAlone) {
  for (const std::string& p : {log_dir + "/notes.txt", log_dir + "/111.gone.stdout.2", data.path() + "/token",
                               data.path() + "/state.json", data.path() + "/111.gone.stdout"}) {
    age(p, 30 * kDay);
  }
  EXPECT_EQ(sweep_old_logs(policy, *sup), std::vector<std::string>{});
  std::filesystem::create_directory(log_dir + "/222.dir.stdout");
  age(log_dir + "/222.dir.stdout", 30 * kDay);
  EXPECT_EQ(sweep_old_logs(policy, *sup), std::vector<std::string>{});
}

TEST_F(LogRetention, ARetentionOfZeroKeepsEverything) {
  age(log_dir + "/111.gone.stdout", 3650 * kDay);
  policy.max_age = std::chrono::seconds(0);
  EXPECT_EQ(sweep_old_logs(policy, *sup), std::vector<std::string>{});
  EXPECT_TRUE(exists(log_dir + "/111.gone.stdout"));
}

TEST_F(LogRetention, HoursAndMinutesToo) {
  age(log_dir + "/1.a.stdout", 13h);
  age(log_dir + "/2.b.stdout", 11h);
  policy.max_age = std::chrono::hours(12);
  EXPECT_EQ(sweep_old_logs(policy, *sup), std::vector<std::string>{log_dir + "/1.a.stdout"});
}

TEST_F(LogRetention, ThePeriodicSweepRunsOnItsTimerAndSparesListedInstances) {
  auto inst = old_listed_instance();
  std::string gone = log_dir + "/111.gone.combined";
  age(gone, 8 * kDay);
  Event swept(ioc.get_executor());
  std::vector<std::string> first;
  std::function<void(const std::vector<std::string>&)> after = [&](const std::vector<std::string>& deleted) {
    if (swept.is_set()) return;
    first = deleted;
    swept.set();
  };
  RetentionPolicy p = policy;
  auto interval = std::chrono::steady_clock::duration(1ms);  // the sweep itself is what the test awaits
  asio::co_spawn(ioc, sweep_periodically(timer, p, *sup, interval, after), asio::detached);
  EXPECT_TRUE(test::run_co(ioc, swept.wait_for(20s)));
  timer.cancel();
  EXPECT_EQ(first, std::vector<std::string>{gone});
  EXPECT_TRUE(exists(inst->logs().combined_path));
  EXPECT_TRUE(exists(backup_path(inst->logs().combined_path)));
}

}  // namespace
}  // namespace pp
