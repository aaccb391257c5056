#include "os/pipe_size.hpp"

#include <fcntl.h>

namespace pp::os {

int pipe_capacity(int fd) { return ::fcntl(fd, F_GETPIPE_SZ); }

bool set_pipe_capacity(int fd, int bytes) { return ::fcntl(fd, F_SETPIPE_SZ, bytes) >= 0; }

}  // namespace pp::os
