#include "supervise/instance_tree.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>

#include "os/cgroup.hpp"
#include "os/proc_stat.hpp"
#include "os/process_tree.hpp"
#include "os/subreaper.hpp"

namespace pp {

namespace {

std::vector<os::PinnedProcess> pin_all(const std::vector<os::ProcInfo>& procs) {
  std::vector<os::PinnedProcess> out;
  for (const auto& p : procs)
    if (auto pinned = os::pin(p.pid, p.start_ticks)) out.push_back(std::move(*pinned));
  return out;
}

// The unreaped leaders of this server's instances. collect reads the environment
// of every other child of the server, looking for an instance's orphans; with a
// thousand instances, reading the leaders' too made each collect a thousand reads
// and a shutdown a million (docs/architecture.md#stop).
std::mutex leaders_mutex;
std::unordered_multiset<int> leaders;

bool is_leader(int pid) {
  std::lock_guard lock(leaders_mutex);
  return leaders.count(pid) > 0;
}

}  // namespace

InstanceTree::InstanceTree(std::string tag, std::string cgroup) : tag_entry_(kTagName), cgroup_(std::move(cgroup)) {
  // Appended in steps: g++ 12 warns falsely (-Warray-bounds) on the one-line concatenation.
  tag_entry_ += '=';
  tag_entry_ += tag;
}

InstanceTree::InstanceTree(InstanceTree&& o) noexcept
    : leader_(o.leader_),
      known_leader_(std::exchange(o.known_leader_, false)),
      tag_entry_(std::move(o.tag_entry_)),
      cgroup_(std::move(o.cgroup_)) {}

InstanceTree& InstanceTree::operator=(InstanceTree&& o) noexcept {
  if (this != &o) {
    leader_reaped();
    leader_ = o.leader_;
    known_leader_ = std::exchange(o.known_leader_, false);
    tag_entry_ = std::move(o.tag_entry_);
    cgroup_ = std::move(o.cgroup_);
  }
  return *this;
}

InstanceTree::~InstanceTree() { leader_reaped(); }

void InstanceTree::set_leader(int pid) {
  leader_reaped();
  leader_ = pid;
  std::lock_guard lock(leaders_mutex);
  leaders.insert(pid);
  known_leader_ = true;
}

void InstanceTree::leader_reaped() {
  if (!std::exchange(known_leader_, false)) return;
  std::lock_guard lock(leaders_mutex);
  if (auto it = leaders.find(leader_); it != leaders.end()) leaders.erase(it);
}

void InstanceTree::forget_cgroup() {
  if (!cgroup_.empty()) os::remove_cgroup(cgroup_);
  cgroup_.clear();
}

std::vector<os::ProcInfo> InstanceTree::candidates() const {
  std::optional<std::vector<int>> children;
  if (os::is_subreaper()) children = os::children_of(static_cast<int>(::getpid()));
  if (!children) return os::live_processes();
  std::vector<int> pids = os::tree_of(leader_);
  for (int c : *children)
    if (c != leader_ && !is_leader(c))
      for (int pid : os::tree_of(c)) pids.push_back(pid);
  std::vector<os::ProcInfo> out;
  for (int pid : pids)
    if (auto p = os::proc_info(pid)) out.push_back(*p);
  return out;
}

std::vector<os::PinnedProcess> InstanceTree::collect(bool outside_group) const {
  if (leader_ <= 0) return {};
  auto procs = candidates();
  int self = static_cast<int>(::getpid());
  std::vector<int> roots{leader_};
  for (const auto& p : procs)
    if (p.pgrp == leader_ || (p.ppid == self && p.pid != leader_ && !is_leader(p.pid) && environ_has(p.pid, tag_entry_)))
      roots.push_back(p.pid);
  auto found = os::subtrees(procs, roots);
  std::set<int> in_group{leader_};
  for (const auto& p : procs)
    if (p.pgrp == leader_) in_group.insert(p.pid);
  if (outside_group) std::erase_if(found, [&](const os::ProcInfo& p) { return in_group.count(p.pid) > 0; });
  auto out = pin_all(found);
  if (cgroup_.empty()) return out;
  // The cgroup's processes, pinned first and kept when still listed after: then
  // each pidfd is the listed process's, not a later one's with its pid.
  std::set<int> have;
  for (const auto& m : out) have.insert(m.pid);
  if (outside_group) have.insert(in_group.begin(), in_group.end());
  std::vector<os::PinnedProcess> listed;
  for (int pid : os::cgroup_procs(cgroup_))
    if (have.insert(pid).second)
      if (UniqueFd fd = os::open_pidfd(pid)) listed.push_back({pid, std::move(fd)});
  if (listed.empty()) return out;
  auto again = os::cgroup_procs(cgroup_);
  std::set<int> still(again.begin(), again.end());
  for (auto& m : listed)
    if (still.count(m.pid) && process_is_live(m.pid)) out.push_back(std::move(m));
  return out;
}

bool InstanceTree::any_alive() const {
  if (leader_ <= 0) return false;
  if (known_leader_) return true;  // not reaped yet
  // Without a pass over /proc (the table's trim asks this on every exit): the
  // group answers a null signal while it has a member; once it has none, every
  // other descendant was re-parented to the server, a subreaper, so the rest are
  // the server's children with this instance's tag, and the cgroup's.
  if (::kill(-leader_, 0) == 0 || errno == EPERM) return true;
  if (!cgroup_.empty() && !os::cgroup_procs(cgroup_).empty()) return true;
  auto children = os::children_of(static_cast<int>(::getpid()));
  if (!children) return !members().empty();  // no children files on this kernel
  for (int pid : *children)
    if (!is_leader(pid) && environ_has(pid, tag_entry_)) return true;
  return false;
}

void InstanceTree::signal_outside_group(int sig) const {
  if (sig == SIGKILL && !cgroup_.empty()) os::kill_cgroup(cgroup_);
  for (const auto& m : collect(true)) os::send_signal(m, sig);
}

void InstanceTree::remove_cgroup() const {
  if (!cgroup_.empty()) os::remove_cgroup(cgroup_);
}

std::vector<os::PinnedProcess> stray_children(const std::function<bool(int pid)>& accounted_for) {
  auto procs = os::live_processes();
  int self = static_cast<int>(::getpid());
  std::vector<int> roots;
  for (const auto& p : procs)
    if (p.ppid == self && !accounted_for(p.pid)) roots.push_back(p.pid);
  if (roots.empty()) return {};
  return pin_all(os::subtrees(procs, roots));
}

}  // namespace pp
