// Pseudo-terminals for managed processes run with `tty` (docs/architecture.md#life-of-a-process):
// the server keeps the master, the child gets the slave as its terminal.
#pragma once
#include <string>

#include "core/unique_fd.hpp"

namespace pp::os {

struct PtyPair {
  UniqueFd master;  // close-on-exec, non-blocking: the server reads and writes it
  UniqueFd slave;   // close-on-exec: the launcher dup2()s it onto the child's stdio
};

// Opens a pair (posix_openpt, so no extra library) with a window of `columns` x `rows`.
// On failure both are invalid and `error` says why.
PtyPair open_pty(unsigned short columns, unsigned short rows, std::string& error);

// In the forked child, after setsid(): makes `fd` (the slave) the session's
// controlling terminal (TIOCSCTTY). Async-signal-safe; returns 0 or -1 with errno.
int make_controlling_terminal(int fd);

// TIOCSWINSZ on the master: the child's terminal gets the new size and its
// foreground group SIGWINCH. False with errno set on failure.
bool set_window_size(int master, unsigned short columns, unsigned short rows);

}  // namespace pp::os
