// The process tree at one moment: subtrees by parent links, and this process
// and its children seen in /proc.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "os/process_tree.hpp"
#include "os/subreaper.hpp"

namespace pp::os {
namespace {

std::vector<int> pids(const std::vector<ProcInfo>& procs) {
  std::vector<int> out;
  for (const auto& p : procs) out.push_back(p.pid);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ProcessTree, SubtreesFollowParentLinksFromEachRoot) {
  std::vector<ProcInfo> procs{{1, 0, 1, 0}, {10, 1, 10, 0}, {11, 10, 10, 0}, {12, 11, 12, 0},
                              {20, 1, 20, 0}, {21, 20, 20, 0}, {30, 1, 30, 0}};
  EXPECT_EQ(pids(subtrees(procs, {10})), (std::vector<int>{10, 11, 12}));
  EXPECT_EQ(pids(subtrees(procs, {11, 21})), (std::vector<int>{11, 12, 21}));
  EXPECT_EQ(pids(subtrees(procs, {12, 11})), (std::vector<int>{11, 12}));  // each once
  EXPECT_TRUE(subtrees(procs, {99}).empty());                                // gone roots are skipped
}

TEST(ProcessTree, SeesThisProcessAndItsChildren) {
  pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  auto procs = live_processes();
  auto me = std::find_if(procs.begin(), procs.end(), [](const ProcInfo& p) { return p.pid == ::getpid(); });
  ASSERT_NE(me, procs.end());
  EXPECT_EQ(me->ppid, ::getppid());
  EXPECT_EQ(me->pgrp, ::getpgrp());
  EXPECT_GT(me->start_ticks, 0u);
  EXPECT_EQ(pids(subtrees(procs, {::getpid()})), (std::vector<int>{std::min<int>(::getpid(), child),
                                                                  std::max<int>(::getpid(), child)}));
  auto kids = own_children();
  EXPECT_NE(std::find(kids.begin(), kids.end(), child), kids.end());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}

// A child that starts a session of its own and forks a grandchild: both are in
// this process's tree (walked through the children files), not in its group.
TEST(ProcessTree, TreeOfWalksChildrenAcrossSessions) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  if (child == 0) {
    ::setsid();
    pid_t grandchild = ::fork();
    if (grandchild == 0) {
      ::pause();
      ::_exit(0);
    }
    (void)!::write(ready[1], &grandchild, sizeof grandchild);
    ::pause();
    ::_exit(0);
  }
  pid_t grandchild = 0;
  ASSERT_EQ(::read(ready[0], &grandchild, sizeof grandchild), static_cast<ssize_t>(sizeof grandchild));
  ::close(ready[0]);
  ::close(ready[1]);
  auto tree = tree_of(::getpid());
  std::sort(tree.begin(), tree.end());
  for (int p : {static_cast<int>(::getpid()), static_cast<int>(child), static_cast<int>(grandchild)})
    EXPECT_TRUE(std::binary_search(tree.begin(), tree.end(), p)) << "PID " << p << " missing";
  auto sub = tree_of(child);
  std::sort(sub.begin(), sub.end());
  EXPECT_EQ(sub, (std::vector<int>{std::min<int>(child, grandchild), std::max<int>(child, grandchild)}));
  ::kill(grandchild, SIGKILL);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(tree_of(child).empty()) << "a reaped process has no tree";
}

}  // namespace
}  // namespace pp::os
