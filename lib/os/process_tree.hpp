// The processes of the machine at one moment, from one pass over /proc: who is
// whose parent and in which group. What a managed process started is found from
// this when a stop needs it, never tracked in between (docs/architecture.md#stop).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace pp::os {

struct ProcInfo {
  int pid = 0, ppid = 0, pgrp = 0;
  std::uint64_t start_ticks = 0;  // field 22 of /proc/<pid>/stat: tells a recycled pid from this one
};

// Every live (not zombie) process.
std::vector<ProcInfo> live_processes();
// One live process's entry; nullopt when it is gone or a zombie.
std::optional<ProcInfo> proc_info(int pid);

// The processes of `procs` that are in `roots` or descend from one of them
// (parent links), each once.
std::vector<ProcInfo> subtrees(const std::vector<ProcInfo>& procs, const std::vector<int>& roots);

// The children of `pid`, from its threads' `children` files (CONFIG_PROC_CHILDREN):
// what one process started, without a pass over every process on the machine.
// nullopt when `pid` is gone or the kernel has no such files.
std::optional<std::vector<int>> children_of(int pid);

// `root` and its live descendants, each once, walked through children_of: the
// cost follows the tree, not the machine (docs/architecture.md#list). Falls back
// to one pass over /proc where the children files are missing. Empty when `root`
// is gone.
std::vector<int> tree_of(int root);

}  // namespace pp::os
