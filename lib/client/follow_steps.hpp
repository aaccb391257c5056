// `output --follow`'s conversations with the server (client/follow_machine.hpp),
// each a coroutine ending in one event, as `run`'s steps are (client/run_steps.hpp).
#pragma once
#include <boost/asio/awaitable.hpp>

#include "client/follow_command.hpp"
#include "client/run_events.hpp"

namespace pp::client {

// The process the target names, by `list`: the running one when there is one, else
// the most recent ended one. Found (attached, with `ended` and `exit_code`), or
// Failed with the server's own message when nothing matches.
boost::asio::awaitable<RunEvent> find_followed(const FollowOptions& o);

// The last lines, by the `output` tool: Backlog, or Failed with its error.
boost::asio::awaitable<RunEvent> read_backlog(const FollowOptions& o, int pid);

}  // namespace pp::client
