// The processes of the machine at one moment, from one pass over /proc: who is
// whose parent and in which group. What a managed process started is found from
// this when a stop needs it, never tracked in between (docs/architecture.md#stop).
#pragma once
#include <cstdint>
#include <vector>

namespace pp::os {

struct ProcInfo {
  int pid = 0, ppid = 0, pgrp = 0;
  std::uint64_t start_ticks = 0;  // field 22 of /proc/<pid>/stat: tells a recycled pid from this one
};

// Every live (not zombie) process.
std::vector<ProcInfo> live_processes();

// The processes of `procs` that are in `roots` or descend from one of them
// (parent links), each once.
std::vector<ProcInfo> subtrees(const std::vector<ProcInfo>& procs, const std::vector<int>& roots);

}  // namespace pp::os
