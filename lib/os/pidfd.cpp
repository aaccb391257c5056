#include "os/pidfd.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include "os/proc_stat.hpp"

namespace pp::os {

UniqueFd open_pidfd(int pid) { return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }

std::optional<PinnedProcess> pin(int pid, std::uint64_t start_ticks) {
  UniqueFd fd = open_pidfd(pid);
  if (!fd || process_start_ticks(pid) != start_ticks) return std::nullopt;
  return PinnedProcess{pid, std::move(fd)};
}

bool send_signal(const PinnedProcess& p, int sig) {
  return ::syscall(SYS_pidfd_send_signal, p.fd.get(), sig, nullptr, 0) == 0;
}

}  // namespace pp::os
