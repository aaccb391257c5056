// The sources of `run`'s events: each awaits one kind of happening and posts it to
// the inbox (client/run_events.hpp) as an event. None decides anything; the state
// machine (client/run_machine.hpp) does. Each runs until its happening can no
// longer come; the machine spawns each with ToInbox, so an exception is reported.
// Every reference must outlive the coroutine (the machine owns what they name).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/signal_set.hpp>

#include "client/event_source.hpp"
#include "client/log_follower.hpp"
#include "client/run_events.hpp"
#include "core/event.hpp"

namespace pp::client {

// SignalCaught for each signal `signals` catches.
boost::asio::awaitable<void> watch_signals(boost::asio::signal_set& signals, Inbox& inbox);

// ProcessExited, ProcessRestarted and RestartFailed from the event stream, in the
// order the server sent them; sets `stream_ended` when the stream ends.
boost::asio::awaitable<void> read_lifecycle(EventSource& events, Event& stream_ended, Inbox& inbox);

// ServerGone once the process `server_pid` has exited (seen through a pidfd) and
// then its event stream has ended, or 5 s have passed: a shutdown sends the exits
// it caused before the server goes, so those come first. Nothing when the pidfd
// cannot be opened.
boost::asio::awaitable<void> watch_server(int server_pid, Event& stream_ended, Inbox& inbox);

// LogGrew each time the followed log may have grown or rotated.
boost::asio::awaitable<void> watch_log(LogFollower& follower, Inbox& inbox);

}  // namespace pp::client
