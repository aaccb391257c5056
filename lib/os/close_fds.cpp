#include "os/close_fds.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pp::os {

// (Lines that run only in the forked child are excluded from coverage: the child
// execs or _exits, so gcov never writes their counts. Tests check their effects.)
void mark_fds_cloexec_from_3() {
  if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  // GCOVR_EXCL_START  kernels before 5.11
  rlimit lim{};
  int top = ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY ? static_cast<int>(lim.rlim_cur)
                                                                                   : 65536;
  for (int fd = 3; fd < top; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);  // EBADF for unused ones is fine
  // GCOVR_EXCL_STOP
}

}  // namespace pp::os
