// `run`'s conversations with the server (docs/cli.md#run). Each is a coroutine that
// ends in one event for the state machine (client/run_machine.hpp), so the machine
// goes on taking signals while it waits. Each tool call is a session of its own.
// A call that does not reach the server ends in Failed: exit 3 with how to start a
// server when none answers, exit 1 with the reason otherwise; a tool's own `error`
// ends in Failed with exit 1 too.
#pragma once
#include <boost/asio/awaitable.hpp>

#include "client/event_source.hpp"
#include "client/run_command.hpp"
#include "client/run_events.hpp"

namespace pp::client {

// Asks the server for its pid (`list` with pid 0), then opens `events` and waits
// for the stream to be in place. Connected or Failed.
boost::asio::awaitable<RunEvent> connect(const RunOptions& o, EventSource& events);

// The running instance with o.argv in o.cwd (or with o.label); with o.fresh it is
// stopped first. Without one, starts o.argv in o.cwd with the caller's whole
// environment and o.label, on a PTY of o.columns × o.rows with o.tty. Found or Failed.
boost::asio::awaitable<RunEvent> find_or_start(const RunOptions& o);

// `ctrl stop` of `pid`. StopAccepted or Failed.
boost::asio::awaitable<RunEvent> stop_process(const RunOptions& o, int pid);

}  // namespace pp::client
