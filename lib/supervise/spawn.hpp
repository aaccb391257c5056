// Starting a child: checks that make failures clear errors, then fork+exec through
// Boost.Process v2 in a new session (and a cgroup of its own, when given), stdin,
// stdout and stderr on pipes, or all three on a pseudo-terminal that is the
// session's controlling terminal (`tty`).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
// Process v2 (1.81) with BOOST_PROCESS_USE_STD_FS forgets these two includes.
#include <boost/optional.hpp>
#include <type_traits>

#include <boost/process/v2/process.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/unique_fd.hpp"

namespace pp {

using EnvOverlay = std::map<std::string, std::string>;

struct SpawnRequest {
  std::vector<std::string> argv;  // argv[0] is the program as the user wrote it
  std::string cwd;                // absolute
  EnvOverlay env;                 // laid over the server's own environment
  bool tty = false;               // on a pseudo-terminal; TERM=xterm-256color unless `env` sets TERM
  unsigned short columns = 200, rows = 50;  // its window size (tty only)
  int cgroup_procs = -1;  // the cgroup.procs of the cgroup the child moves itself into, or -1
  bool null_stdio = false;  // stdin, stdout and stderr on /dev/null (a readiness check's command); not with tty
};

// The child, the write end of its stdin pipe and the read ends of its stdout/stderr
// pipes (all non-blocking); with null_stdio, all three closed. With a tty, `in` and `out` are the PTY master (two
// descriptors of it), `err` is closed, and `tty` is a third, for resizing.
struct Spawned {
  boost::process::v2::process proc;
  boost::asio::posix::stream_descriptor in, out, err;
  UniqueFd tty;
};

struct SpawnOutcome {
  std::unique_ptr<Spawned> child;  // null on failure
  std::string error;               // "Command not found: x", "Working directory does not exist: d", ...
};

SpawnOutcome spawn_child(const boost::asio::any_io_executor& ex, const SpawnRequest& req);

// Call before the server raises its own descriptor limit: children get this one
// back (programs using select() or closing every descriptor expect the usual 1024).
void keep_fd_limit_for_children();

// PATH lookup the way execvp does it, relative to `cwd`; "" when nothing executable is found.
// Sets `denied` when a candidate exists but may not be executed.
std::string resolve_program(const std::string& program, const std::string& cwd, const std::string& path_var,
                            bool& denied);

}  // namespace pp
