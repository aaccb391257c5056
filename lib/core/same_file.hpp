// Whether two stat results, or two open descriptors, name the same file (same
// device and inode): how a reader tells a rotated or replaced log from its own.
#pragma once
#include <sys/stat.h>

namespace pp {

inline bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// False also when either descriptor cannot be examined.
inline bool same_file(int fd_a, int fd_b) {
  struct stat a {}, b {};
  return ::fstat(fd_a, &a) == 0 && ::fstat(fd_b, &b) == 0 && same_file(a, b);
}

}  // namespace pp
