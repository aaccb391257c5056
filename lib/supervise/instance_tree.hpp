// Everything one managed process started, however far it went: found when a stop,
// shutdown or the table asks (a one-off look at /proc or the instance's cgroup at
// that moment, never tracked by polling), and signalled through pidfds, so no
// recycled pid is hit (docs/architecture.md#stop). Its members are:
//   - its process group (the leader's pid, since it starts a session of its own);
//   - every live descendant of the leader and of the group's members (parent links);
//   - the server's own children whose environment carries the instance's tag
//     (PERSISTPROC_INSTANCE): orphans re-parented to the server, a child subreaper,
//     after their parent died — a double fork out of the session lands here — and
//     their descendants;
//   - with a cgroup (when the server's own is delegated): every process in it and
//     in its child cgroups, whatever it did to its session, parent or environment.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "os/pidfd.hpp"
#include "os/process_tree.hpp"

namespace pp {

class InstanceTree {
 public:
  static constexpr const char* kTagName = "PERSISTPROC_INSTANCE";

  // `tag`: unique among this server's instances; `cgroup`: its own cgroup
  // directory, or "" for none.
  InstanceTree(std::string tag, std::string cgroup);
  InstanceTree(InstanceTree&& o) noexcept;
  InstanceTree& operator=(InstanceTree&& o) noexcept;
  ~InstanceTree();

  // The leader is also known, until it is reaped, as one of the server's children
  // that is no other instance's orphan: collect does not read its environment.
  void set_leader(int pid);
  void leader_reaped();
  // "PERSISTPROC_INSTANCE=<tag>", as the leader's environment has it.
  const std::string& tag_entry() const { return tag_entry_; }
  const std::string& cgroup() const { return cgroup_; }
  // The instance has no cgroup after all (it could not be entered).
  void forget_cgroup();

  // The live members now, each pinned by a pidfd.
  std::vector<os::PinnedProcess> members() const { return collect(false); }
  bool any_alive() const;
  // `sig` to every member outside the leader's group, which the caller signals
  // itself (killpg: then no one gets it twice); SIGKILL also through cgroup.kill,
  // which reaches what is forked meanwhile.
  void signal_outside_group(int sig) const;
  // Removes the cgroup once it holds no process (else it stays).
  void remove_cgroup() const;

 private:
  // The members, or only those outside the leader's group (and not the leader).
  std::vector<os::PinnedProcess> collect(bool outside_group) const;
  // The processes its members are among. With the server a child subreaper, every
  // member descends from the leader or from one of the server's children (an
  // orphan is re-parented to the server), and another instance's leader heads
  // another session: so the trees of the leader and of the server's other
  // children hold them all, and a stop costs what the server's own trees cost,
  // not a pass over every process on the machine (once per stop, a thousand
  // passes for a shutdown of a thousand). Else, every process on the machine.
  std::vector<os::ProcInfo> candidates() const;

  int leader_ = 0;
  bool known_leader_ = false;  // set_leader's registration, until leader_reaped
  std::string tag_entry_;
  std::string cgroup_;
};

// The server's own children that no instance accounts for (`accounted_for(pid)`:
// a leader it awaits, or a child tagged for an instance of the table), with their
// descendants: orphans that dropped their tag, which only shutdown reaches.
std::vector<os::PinnedProcess> stray_children(const std::function<bool(int pid)>& accounted_for);

}  // namespace pp
