// What a stop reaches when the server is a child subreaper (as `serve` makes it):
// its members are found in the trees of the leader and of the server's own
// children, not by a pass over every process on the machine, and a daemon that
// double-forked out of the session is among them (docs/architecture.md#stop).
// The test process is a subreaper for the test's length only.
#include "supervise/instance_tree.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <filesystem>

#include "core/pattern.hpp"
#include "os/subreaper.hpp"
#include "supervise/instance.hpp"
#include "supervise/supervisor.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using namespace std::chrono_literals;

int parent_of(int pid) {
  std::string stat = test::read_file("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  char state = 0;
  int ppid = 0;
  if (close == std::string::npos || std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) != 2) return -1;
  return ppid;
}

class SubreaperTree : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(os::become_subreaper());
    std::filesystem::create_directories(log_dir);
    sup = std::make_unique<Supervisor>(ioc.get_executor(), log_dir, StopTimings{300ms, 5s});
  }
  void TearDown() override {
    test::run_co(ioc, sup->shutdown(true));
    for (int pid : adopted) {  // ours to reap while we are the subreaper; killed first should a stop have missed it
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    ::prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
  }
  // Starts a helper that double-forks a daemon; its pid and the daemon's.
  std::pair<std::shared_ptr<Process>, int> start_with_daemon(const std::string& label) {
    ProcessSpec spec{{test::kHelper, "daemon", "out:ready", "pause"}, data.path(), {}, label};
    std::string error;
    spec.ready.log_line = Pattern::compile("^ready$", error);  // after "daemon <pid>"
    auto started = sup->start(spec);
    EXPECT_TRUE(started.process) << started.error;
    if (!started.process) return {nullptr, -1};
    std::string log = started.process->logs().combined_path;
    EXPECT_TRUE(test::run_co(ioc, std::dynamic_pointer_cast<Instance>(started.process)->ready_event().wait_for(20s))) << test::read_file(log);
    std::string text = test::read_file(log);
    auto at = text.find("Z daemon ");
    int daemon = at == std::string::npos ? -1 : std::atoi(text.c_str() + at + 9);
    if (daemon > 0) adopted.push_back(daemon);
    return {started.process, daemon};
  }

  test::TempDir data;
  std::string log_dir = data.path() + "/logs";
  boost::asio::io_context ioc;
  std::unique_ptr<Supervisor> sup;
  std::vector<int> adopted;
};

TEST_F(SubreaperTree, AStopReachesADaemonThatLeftTheSessionAndNoOtherInstancesProcess) {
  auto [other, other_daemon] = start_with_daemon("other");
  auto [proc, daemon] = start_with_daemon("target");
  ASSERT_TRUE(proc && other);
  ASSERT_GT(daemon, 0);
  ASSERT_GT(other_daemon, 0);
  ASSERT_EQ(parent_of(daemon), ::getpid()) << "the subreaper adopts the orphan";
  Target t;
  t.pid = proc->pid();
  auto out = test::run_co(ioc, sup->stop(t, false));
  EXPECT_TRUE(out.error.empty()) << out.error;
  EXPECT_TRUE(test::await_pid_exit(daemon, 10s)) << "daemon " << daemon << " survived the stop";
  EXPECT_TRUE(test::pid_alive(other_daemon)) << "another instance's daemon was hit";
  EXPECT_TRUE(other->running());
}

}  // namespace
}  // namespace pp
