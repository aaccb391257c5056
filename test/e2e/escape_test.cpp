// Descendants that leave their process group and session (a double fork with
// setsid, as daemons do) are still stopped by `stop` and by `shutdown`: the
// server is a child subreaper, so they are re-parented to it, and it knows them
// by their tag or their cgroup (docs/architecture.md#stop). Each end is awaited
// by pidfd, bounded.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include "os/cgroup.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;

class Escape : public ::testing::Test {
 protected:
  Server s{{"-q"}};

  // Starts the helper; returns its pid, and the daemon's once it is an orphan.
  std::pair<int, int> start_with_daemon(const std::string& daemon_action) {
    auto r = s.cli({"start", "--format", "json", kHelper, daemon_action, "out:ready", "pause"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    auto o = json::parse(r.out).as_object();
    std::string log(o.at("log_combined").as_string());
    EXPECT_TRUE(await_file_contains(log, "Z ready\n")) << read_file(log);
    std::string text = read_file(log);
    auto at = text.find("Z daemon ");
    EXPECT_NE(at, std::string::npos) << text;
    int daemon = at == std::string::npos ? -1 : std::atoi(text.c_str() + at + 9);
    return {static_cast<int>(o.at("pid").as_int64()), daemon};
  }

  int parent_of(int pid) {
    std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    int ppid = 0;
    char state = 0;
    auto close = stat.rfind(')');
    if (close == std::string::npos || std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) != 2) return -1;
    return ppid;
  }
};

TEST_F(Escape, StopReachesADaemonThatLeftTheSession) {
  auto [pid, daemon] = start_with_daemon("daemon");
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(pid_alive(daemon));
  EXPECT_EQ(parent_of(daemon), s.pid()) << "the subreaper server adopts the orphan";
  auto r = s.cli({"stop", "--format", "json", std::to_string(pid)});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(await_pid_exit(daemon, 10s)) << "daemon " << daemon << " survived the stop";
  EXPECT_TRUE(await_pid_exit(pid, 10s));
}

TEST_F(Escape, ShutdownReachesDaemonsWithAndWithoutTheirTag) {
  auto [a, tagged] = start_with_daemon("daemon");
  auto [b, bare] = start_with_daemon("daemon:bare");
  ASSERT_GT(tagged, 0);
  ASSERT_GT(bare, 0);
  ASSERT_TRUE(pid_alive(tagged));
  ASSERT_TRUE(pid_alive(bare));
  auto r = s.cli({"shutdown"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(s.wait_exit(10s), 0);
  for (int p : {a, b, tagged, bare}) EXPECT_TRUE(await_pid_exit(p, 10s)) << "PID " << p << " survived the shutdown";
}

// A daemon that drops its environment, tag and all, is no longer known as the
// instance's without a cgroup: only shutdown, which stops every process the
// server adopted, reaches it. With a delegated cgroup the stop reaches it too.
TEST_F(Escape, ADaemonWithoutItsTagIsLeftToShutdownUnlessThereIsACgroup) {
  bool cgroups = !os::delegated_cgroup().empty();  // the server is in our cgroup
  auto [pid, bare] = start_with_daemon("daemon:bare");
  ASSERT_GT(bare, 0);
  auto r = s.cli({"stop", std::to_string(pid)});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  if (cgroups) {
    EXPECT_TRUE(await_pid_exit(bare, 10s));
  } else {
    EXPECT_TRUE(pid_alive(bare));
    EXPECT_EQ(parent_of(bare), s.pid());
  }
  EXPECT_EQ(s.cli({"shutdown"}).exit_code, 0);
  EXPECT_TRUE(await_pid_exit(bare, 10s)) << "PID " << bare << " survived the shutdown";
}

// An adopted orphan that ends is reaped by the server, not left a zombie.
TEST_F(Escape, AnOrphanThatEndsIsReaped) {
  auto [pid, daemon] = start_with_daemon("daemon");
  ASSERT_GT(daemon, 0);
  ASSERT_EQ(parent_of(daemon), s.pid());
  ::kill(daemon, SIGKILL);
  ASSERT_TRUE(await_pid_exit(daemon, 10s));
  // The server had SIGCHLD before this request reached it, and handles it first.
  EXPECT_EQ(s.cli({"list"}).exit_code, 0);
  std::string stat = read_file("/proc/" + std::to_string(daemon) + "/stat");  // "" once reaped
  auto close = stat.rfind(')');
  bool zombie = close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
  EXPECT_FALSE(zombie && parent_of(daemon) == s.pid()) << "orphan " << daemon << " left a zombie";
  EXPECT_TRUE(pid_alive(pid)) << "its instance runs on";
}

}  // namespace
}  // namespace pp::test
