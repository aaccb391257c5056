// A descriptor that becomes readable when a process exits (Linux pidfd): how
// every exit is awaited as an event, and how a pid is pinned against reuse
// between looking it up and signalling it.
#pragma once
#include "core/unique_fd.hpp"

namespace pp::os {

// Invalid when the process is gone already (or the kernel lacks pidfd_open).
UniqueFd open_pidfd(int pid);

}  // namespace pp::os
