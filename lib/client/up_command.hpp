// `persistproc up` on the client side (docs/stacks.md#up-in-the-terminal): asks
// the server to bring a stack up (ctrl up) and, attached, shows every process's
// output as it arrives, each line prefixed with its name, plus a line per
// lifecycle event, until Ctrl+C asks whether to stop the stack or detach. With
// `detach` (-d) it returns once the stack is up, or fails naming what is not.
#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "client/mcp_client.hpp"
#include "client/run_command.hpp"

namespace pp::client {

struct UpViewOptions {
  Endpoint endpoint;            // its timeout allows for the whole bring-up
  boost::json::object up_args;  // ctrl's: action "up", file, and name, fresh, wait_timeout when given
  std::string stack;            // the stack's name: events of "<stack>/<name>" are its own
  std::vector<std::string> names;  // its processes in order, for colours and the prefix width
  bool detach = false;
  bool color = false;
  OnExit on_exit = OnExit::ask;  // what Ctrl+C does (ask: when stdin is a terminal, else detach)
};

// 0 once up (-d) or after Ctrl+C; 1 when the bring-up failed (what started keeps
// running); 3 without a server.
int up_command(const UpViewOptions& o);

// `persistproc down`: ctrl down with `args` (file or name); prints what stopped.
int down_command(const Endpoint& endpoint, const boost::json::object& args, bool json_format);

}  // namespace pp::client
