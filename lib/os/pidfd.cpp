#include "os/pidfd.hpp"

#include <sys/syscall.h>
#include <unistd.h>

namespace pp::os {

UniqueFd open_pidfd(int pid) { return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }

}  // namespace pp::os
