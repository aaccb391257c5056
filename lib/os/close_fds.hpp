// Marks every descriptor from 3 up close-on-exec, in a forked child before exec
// (close_range on Linux ≥ 5.11, a loop up to the descriptor limit before that).
#pragma once

namespace pp::os {

// Async-signal-safe: only system calls, for use between fork and exec.
void mark_fds_cloexec_from_3();

}  // namespace pp::os
