// A descriptor that becomes readable when a process exits (Linux pidfd): how
// every exit is awaited as an event, and how a pid is pinned against reuse
// between looking it up and signalling it.
#pragma once
#include <cstdint>
#include <optional>

#include "core/unique_fd.hpp"

namespace pp::os {

// Invalid when the process is gone already (or the kernel lacks pidfd_open).
UniqueFd open_pidfd(int pid);

// A process found at one moment, held by a pidfd: a signal sent through it can
// reach only that process, and the pidfd turns readable when it ends.
struct PinnedProcess {
  int pid = 0;
  UniqueFd fd;
};

// Opens a pidfd for `pid` and keeps it only when the process is still the one
// that started at `start_ticks` (checked after opening, so the pidfd is that
// process's, not a later one's with the same pid).
std::optional<PinnedProcess> pin(int pid, std::uint64_t start_ticks);

// pidfd_send_signal(2); false when the process is gone (or the call failed).
bool send_signal(const PinnedProcess& p, int sig);

}  // namespace pp::os
