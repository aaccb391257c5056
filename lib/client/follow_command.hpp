// `persistproc output --follow` (alias `logs -f`): the last lines of a process's log,
// then the log as it grows, like `tail -f` (docs/cli.md#output). It follows with what
// `run` uses (client/run_machine.hpp): the inotify follower on the log file, across
// rotations, and the server's event stream for exits and restarts, so a restart of
// the process goes on with the new instance's log and its end ends the command.
#pragma once
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/pattern.hpp"

namespace pp::client {

struct FollowOptions {
  int port = 8947;
  std::optional<std::string> token;
  // The `output` tool's arguments for the last lines: the target (pid, or
  // command_or_label with working_directory), stream, lines, pattern, since_time.
  boost::json::object output_args;
  std::string stream = "combined";              // which log file is followed
  std::shared_ptr<const Pattern> pattern;       // only lines it matches are shown; null: all
};

// Prints the last lines, then each line as it is logged (as logged: stamps and
// [SYSTEM] lines kept), until Ctrl+C, SIGTERM or SIGHUP (0), the process's end
// (its exit code, 128+N for signal N; a process already ended: the same, after
// its last lines), no server (3) or a failure (1).
int follow_command(const FollowOptions& opts);

}  // namespace pp::client
