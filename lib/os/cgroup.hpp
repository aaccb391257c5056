// cgroup v2 for managed processes, where the server's own cgroup is delegated to
// it (systemd's Delegate=yes): each managed process gets a child cgroup, so
// everything it starts, whatever session, group or parent it ends up with, is
// found (cgroup.procs) and killed at once (cgroup.kill). docs/architecture.md#stop.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/unique_fd.hpp"

namespace pp::os {

// The directory of the v2 cgroup named in `proc_cgroup` (the text of
// /proc/<pid>/cgroup), under the cgroup2 mount found in `mountinfo` (the text of
// /proc/<pid>/mountinfo); "" when there is no v2 cgroup, or it is the root of
// the hierarchy (the machine's, never delegated), or it is not mounted here.
std::string cgroup_dir_of(std::string_view proc_cgroup, std::string_view mountinfo);

// The v2 cgroup directory of process `pid` (a zombie's too), or "".
std::string cgroup_dir_of_pid(int pid);

// This process's cgroup directory when it is delegated to us, else "".
// Delegated: systemd marked it so (the trusted.delegate or user.delegate
// attribute is "1"), or, for a server that is not root, it is ours: owned by
// our uid, with the directory and its cgroup.procs writable.
std::string delegated_cgroup();

// Creates the cgroup `dir`; "" or why not.
std::string make_cgroup(const std::string& dir);
// `dir`/cgroup.procs opened for writing (close-on-exec), for enter_cgroup().
UniqueFd open_cgroup_procs(const std::string& dir);
// In a forked child (async-signal-safe): moves the caller into the cgroup whose
// cgroup.procs is `fd`.
bool enter_cgroup(int fd);
// The processes in `dir` and in its child cgroups.
std::vector<int> cgroup_procs(const std::string& dir);
// SIGKILL to every process in `dir` and below, at once (cgroup.kill, Linux 5.14);
// false when the kernel lacks it.
bool kill_cgroup(const std::string& dir);
// Removes `dir` and its child cgroups, deepest first; one that still holds a
// process stays.
void remove_cgroup(const std::string& dir);
// Removes the child cgroups of `dir` named `prefix`... that hold no process (left
// by an earlier server).
void remove_stale_cgroups(const std::string& dir, const std::string& prefix);

}  // namespace pp::os
