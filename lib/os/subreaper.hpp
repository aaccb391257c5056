// This process as a child subreaper (PR_SET_CHILD_SUBREAPER): a descendant whose
// parent dies is re-parented to it instead of to init, so a process that
// double-forks out of its session stays within reach, and is ours to reap.
#pragma once
#include <vector>

namespace pp::os {

// Makes this process a child subreaper; false when the kernel refuses.
bool become_subreaper();
// Whether it is one now.
bool is_subreaper();

// The children of this process, zombies included (every thread's
// /proc/self/task/<tid>/children, or a pass over /proc where that file is missing).
std::vector<int> own_children();

// Reaps `pid`, a child of this process, if it has ended; true when it was reaped.
bool reap_if_ended(int pid);

}  // namespace pp::os
