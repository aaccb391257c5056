#include "client/call.hpp"

#include <signal.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "client/mcp_client.hpp"
#include "core/unique_fd.hpp"
#include "os/pidfd.hpp"
#include "os/port_owner.hpp"

namespace pp::client {

namespace asio = boost::asio;

asio::awaitable<CallOutcome> call_tool(asio::any_io_executor ex, Endpoint endpoint, std::string tool,
                                       boost::json::object args) {
  CallOutcome out;
  try {
    McpClient c(ex, std::move(endpoint));
    co_await c.open();
    out.result = co_await c.call_tool(tool, std::move(args));
    co_await c.close();
  } catch (const NoServer& ns) {
    out.kind = CallOutcome::no_server;
    out.message = ns.what();
  } catch (const Unauthorized& u) {
    out.kind = CallOutcome::unauthorized;
    out.message = u.what();
  } catch (const std::exception& e) {
    out.kind = CallOutcome::protocol_error;
    out.message = e.what();
  }
  co_return out;
}

CallOutcome call_tool_once(const Endpoint& endpoint, const std::string& tool, boost::json::object args) {
  asio::io_context ioc(1);
  auto fut = asio::co_spawn(ioc, call_tool(ioc.get_executor(), endpoint, tool, std::move(args)), asio::use_future);
  ioc.run();
  return fut.get();
}

ServerPid ask_server_pid(const Endpoint& endpoint) {
  CallOutcome who = call_tool_once(endpoint, "list", {{"pid", 0}});
  if (who.kind != CallOutcome::ok) return {who.kind, 0, who.message};
  auto* procs = who.result.if_contains("processes");
  if (!procs || !procs->is_array() || procs->as_array().size() != 1 || !procs->as_array()[0].is_object())
    return {CallOutcome::protocol_error, 0, "server did not describe itself"};
  auto* pid = procs->as_array()[0].as_object().if_contains("pid");
  if (!pid || !pid->is_int64()) return {CallOutcome::protocol_error, 0, "server did not give its pid"};
  return {CallOutcome::ok, static_cast<int>(pid->as_int64()), ""};
}

std::string start_server_hint(int port) {
  return "Start one with: persistproc serve" + (port == 8947 ? std::string() : " --port " + std::to_string(port));
}

ShutdownOutcome shutdown_server(const Endpoint& endpoint) {
  ShutdownOutcome out;
  ServerPid who = ask_server_pid(endpoint);
  if (who.kind != CallOutcome::ok) return {who.kind, 0, who.message};
  int pid = who.pid;
  out.pid = pid;
  // The pid came over the network: signal it only if that process really holds the
  // port here (a server in another pid namespace would name someone else's pid).
  auto holders = listening_pids(endpoint.port);
  if (std::find(holders.begin(), holders.end(), pid) == holders.end())
    return {CallOutcome::protocol_error, pid,
            "the server says it is PID " + std::to_string(pid) + ", but that process does not hold port " +
                std::to_string(endpoint.port) + " here; not signalling it"};
  // Open the pidfd before signalling so the exit cannot be missed or confused with a new process.
  UniqueFd fd = os::open_pidfd(pid);
  if (!fd) return out;  // already gone
  if (::kill(pid, SIGTERM) != 0) {
    return {CallOutcome::protocol_error, pid,
            "cannot signal the server (PID " + std::to_string(pid) + "): " + std::strerror(errno)};
  }
  asio::io_context ioc(1);
  asio::posix::stream_descriptor pidfd(ioc, fd.release());
  pidfd.async_wait(asio::posix::descriptor_base::wait_read, [](boost::system::error_code) {});
  ioc.run();
  return out;
}

}  // namespace pp::client
