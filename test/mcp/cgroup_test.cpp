// With a cgroup per instance (the server's own delegated, docs/architecture.md#stop),
// a stop reaches whatever the instance started, even a daemon that left its session,
// its parent and its environment. Needs a writable cgroup v2 hierarchy (root, or a
// delegated cgroup); skipped otherwise.
#include <sys/stat.h>

#include "mcp/mcp_fixture.hpp"
#include "os/cgroup.hpp"

namespace pp::test {
namespace {

class CgroupInstances : public McpFixture {
 protected:
  void SetUp() override {
    McpFixture::SetUp();
    parent = make_test_cgroup();
    if (parent.empty()) GTEST_SKIP() << "no writable cgroup v2 hierarchy here";
    sup->use_cgroups(parent);
  }
  void TearDown() override {
    McpFixture::TearDown();
    if (!parent.empty()) os::remove_cgroup(parent);
  }
  std::string parent;
};

TEST_F(CgroupInstances, StopTakesADaemonThatLeftSessionParentAndEnvironment) {
  int pid = start_helper({"daemon:bare", "ready", "pause"});
  await_output(pid, "ready");
  std::string log = combined(pid);
  auto at = log.find("Z daemon ");
  ASSERT_NE(at, std::string::npos) << log;
  int daemon = std::atoi(log.c_str() + at + 9);
  std::string own = os::cgroup_dir_of_pid(pid);
  if (own.rfind(parent + "/pp-", 0) != 0) GTEST_SKIP() << "the child could not enter its cgroup (" << own << ")";
  EXPECT_EQ(os::cgroup_dir_of_pid(daemon), own);
  EXPECT_TRUE(pid_alive(daemon));
  auto r = call("ctrl", {{"action", "stop"}, {"pid", pid}});
  EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_EQ(r.at("exit_code"), -15);
  EXPECT_TRUE(await_pid_exit(daemon, 10s)) << "daemon " << daemon << " survived the stop";
  struct stat st {};
  EXPECT_NE(::stat(own.c_str(), &st), 0) << "the instance's cgroup " << own << " is removed once empty";
}

TEST_F(CgroupInstances, ForcedStopKillsTheWholeCgroupAtOnce) {
  int pid = start_helper({"ignore-term", "daemon:bare", "fork-stubborn:2", "ready", "pause"});
  await_output(pid, "ready");
  std::string own = os::cgroup_dir_of_pid(pid);
  if (own.rfind(parent + "/pp-", 0) != 0) GTEST_SKIP() << "the child could not enter its cgroup (" << own << ")";
  auto members = os::cgroup_procs(own);
  EXPECT_EQ(members.size(), 4u);
  auto r = call("ctrl", {{"action", "stop"}, {"pid", pid}, {"force", true}});
  EXPECT_EQ(r.at("exit_code"), -9);
  for (int m : members) EXPECT_TRUE(await_pid_exit(m, 10s)) << "PID " << m << " survived";
}

}  // namespace
}  // namespace pp::test
