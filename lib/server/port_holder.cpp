#include "server/port_holder.hpp"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "client/mcp_client.hpp"
#include "core/port_owner.hpp"

namespace pp::server {

namespace {

// Asks the port's owner whether it is a persistproc server; its pid if so.
std::optional<int> persistproc_pid(int port, const std::optional<std::string>& token) {
  boost::asio::io_context ioc;
  auto fut = boost::asio::co_spawn(
      ioc,
      [port, &ioc, token]() -> boost::asio::awaitable<std::optional<int>> {
        client::McpClient c(ioc.get_executor(), {port, token, std::chrono::seconds(2)});
        co_await c.open();
        boost::json::object args;  // (gcc 12 rejects a braced initializer list inside a coroutine here)
        args["pid"] = 0;
        auto r = co_await c.call_tool("list", std::move(args));
        co_await c.close();
        auto& procs = r["processes"].as_array();
        if (procs.size() == 1) co_return static_cast<int>(procs[0].as_object()["pid"].to_number<int>());
        co_return std::nullopt;
      },
      boost::asio::use_future);
  ioc.run();  // the client request itself is bounded (2 s)
  try {
    if (fut.wait_for(std::chrono::seconds(0)) == std::future_status::ready) return fut.get();
  } catch (...) {
  }
  return std::nullopt;
}

}  // namespace

std::string describe_port_holder(int port, const std::optional<std::string>& token) {
  // Our own user's processes can be named from /proc; for anyone else's, ask over MCP.
  std::vector<int> pids = listening_pids(port);
  std::erase(pids, static_cast<int>(::getpid()));  // we may have inherited the socket from whoever started us
  for (int pid : pids)
    if (process_exe_name(pid) == "persistproc") return "a persistproc server (PID " + std::to_string(pid) + ")";
  if (!pids.empty()) return process_name(pids[0]) + " (PID " + std::to_string(pids[0]) + ")";
  if (auto pid = persistproc_pid(port, token)) return "a persistproc server (PID " + std::to_string(*pid) + ")";
  return "another program";
}

}  // namespace pp::server
