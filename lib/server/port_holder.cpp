#include "server/port_holder.hpp"

#include <unistd.h>

#include "client/call.hpp"
#include "os/port_owner.hpp"

namespace pp::server {

std::string describe_port_holder(int port, const std::optional<std::string>& token) {
  // Our own user's processes can be named from /proc; for anyone else's, ask over MCP.
  std::vector<int> pids = listening_pids(port);
  std::erase(pids, static_cast<int>(::getpid()));  // we may have inherited the socket from whoever started us
  for (int pid : pids)
    if (process_exe_name(pid) == "persistproc") return "a persistproc server (PID " + std::to_string(pid) + ")";
  if (!pids.empty()) return process_name(pids[0]) + " (PID " + std::to_string(pids[0]) + ")";
  // Bounded: a holder that accepts but never answers must not hold up this message.
  if (auto r = client::ask_server_pid({port, token, std::chrono::seconds(2)}); r.kind == client::CallOutcome::ok)
    return "a persistproc server (PID " + std::to_string(r.pid) + ")";
  return "another program";
}

}  // namespace pp::server
