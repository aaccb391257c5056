// cgroup v2: where a process's cgroup directory is, and when it counts as
// delegated to us (docs/architecture.md#stop).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "os/cgroup.hpp"
#include "support/test_support.hpp"

namespace pp::os {
namespace {

TEST(Cgroup, DirectoryComesFromTheV2LineAndTheCgroup2Mount) {
  std::string mounts =
      "25 30 0:23 / /sys rw,nosuid shared:7 - sysfs sysfs rw\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw\n";
  EXPECT_EQ(cgroup_dir_of("12:pids:/a\n0::/user.slice/pp.service\n", mounts),
            "/sys/fs/cgroup/unified/user.slice/pp.service");
  EXPECT_EQ(cgroup_dir_of("0::/\n", mounts), "");           // the root: the machine's
  EXPECT_EQ(cgroup_dir_of("4:memory:/x\n", mounts), "");    // v1 only
  EXPECT_EQ(cgroup_dir_of("0::/a\n", "25 30 0:23 / /sys rw - sysfs sysfs rw\n"), "");  // not mounted
  // A mount of a subtree, and an escaped blank in the mount point.
  std::string sub = "50 31 0:38 /user.slice /mnt/my\\040cg rw - cgroup2 cgroup2 rw\n";
  EXPECT_EQ(cgroup_dir_of("0::/user.slice/pp.service\n", sub), "/mnt/my cg/pp.service");
  EXPECT_EQ(cgroup_dir_of("0::/system.slice/x\n", sub), "");
}

// What delegated_cgroup() says in a child that moved itself into `dir`.
std::string delegated_seen_from(const std::string& dir) {
  int report[2];
  if (::pipe(report) != 0) return "pipe failed";
  pid_t child = ::fork();
  if (child == 0) {
    UniqueFd procs = open_cgroup_procs(dir);
    std::string seen = procs && enter_cgroup(procs.get()) ? delegated_cgroup() : "could not enter";
    ssize_t ignored = ::write(report[1], seen.data(), seen.size());
    (void)ignored;
    ::_exit(0);
  }
  ::close(report[1]);
  std::string seen;
  char buf[512];
  for (ssize_t n; (n = ::read(report[0], buf, sizeof buf)) > 0;) seen.append(buf, static_cast<std::size_t>(n));
  ::close(report[0]);
  ::waitpid(child, nullptr, 0);
  return seen;
}

TEST(Cgroup, DelegatedWhenSystemdMarkedItOrANonRootServerOwnsIt) {
  std::string dir = test::make_test_cgroup();
  if (dir.empty()) GTEST_SKIP() << "no writable cgroup v2 hierarchy here";
  bool root = ::geteuid() == 0;
  // Root may write anywhere: only systemd's mark says the cgroup is ours to divide.
  EXPECT_EQ(delegated_seen_from(dir), root ? "" : dir);
  if (::setxattr(dir.c_str(), root ? "trusted.delegate" : "user.delegate", "1", 1, 0) == 0) {
    EXPECT_EQ(delegated_seen_from(dir), dir);
  }
  remove_cgroup(dir);
}

}  // namespace
}  // namespace pp::os
