// Surviving the server's own crash. A server keeps <data-dir>/state.json up to date
// (keep_state_file, state_keeper.hpp); the next one, before it accepts anything, stops what a server
// that died without shutting down left running and lists each as terminated with
// a note (recover_left_overs), or with `restore` also starts each again as it was.
// A pid is only ever signalled when it is provably the same process: same boot,
// same start time (field 22 of /proc/<pid>/stat). A recycled pid is left alone.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "supervise/supervisor.hpp"

namespace pp {

struct RecoveryOptions {
  std::string state_path;
  bool restore = false;  // serve --restore: start each left-over again
  // With restore: members of stacks (ProcessSpec::member) are not started here
  // but handed over, in the state file's order, to be brought up in dependency
  // order (stack::Stacks, by the server); null: started here like the rest.
  std::function<void(std::vector<ProcessSpec>)> restore_stack_members;
};

struct RecoveryReport {
  int stopped = 0;         // still ran: stopped (SIGTERM, grace, SIGKILL)
  int gone = 0;            // had exited meanwhile
  int recycled = 0;        // its pid belongs to another process now (or another boot): not signalled
  int not_stopped = 0;     // still ran after SIGKILL
  int restored = 0;        // started again (restore)
  int restore_failed = 0;  // could not be started again (restore)
  bool other_server = false;  // the file belongs to a server that still runs: nothing touched
  std::string error;          // the file could not be read (the server goes on without it)
};

// Reads the state file and deals with every process it lists as running; each one
// ends up in `sup`'s table as a terminated left-over entry (LeftOver),
// whose old logs stay readable by pid. Returns once all of it is done.
boost::asio::awaitable<RecoveryReport> recover_left_overs(Supervisor& sup, RecoveryOptions opts);

}  // namespace pp
