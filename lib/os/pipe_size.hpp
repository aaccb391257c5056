// A pipe's capacity (Linux: F_GETPIPE_SZ, F_SETPIPE_SZ). A child that writes
// faster than the server reads blocks once its pipe is full; a bigger pipe lets
// it run on while the server writes the logs, and lets one read take more.
#pragma once

namespace pp::os {

// The capacity of the pipe `fd` in bytes; -1 when `fd` is not a pipe (a terminal).
int pipe_capacity(int fd);
// Sets the capacity of the pipe `fd` to `bytes` or more (the kernel rounds up to a
// power of two of pages). False when refused: more than /proc/sys/fs/pipe-max-size
// (1 MiB by default) or past the user's pipe-user-pages limits for an unprivileged
// user, fewer bytes than the pipe holds now, or not a pipe.
bool set_pipe_capacity(int fd, int bytes);

}  // namespace pp::os
