#include "server/port_holder.hpp"

#include <dirent.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "client/mcp_client.hpp"

namespace pp::server {

namespace {

// Socket inode of a listening TCP socket on `port`, from /proc/net/tcp{,6}.
std::string listening_inode(int port) {
  for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string sl, local, remote, state, queues, timer, retr, uid, timeout, inode;
      f >> sl >> local >> remote >> state >> queues >> timer >> retr >> uid >> timeout >> inode;
      auto colon = local.rfind(':');
      if (colon == std::string::npos || state != "0A") continue;
      if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) return inode;
    }
  }
  return "";
}

struct Owner {
  int pid = 0;
  std::string name;
};

Owner owner_of_inode(const std::string& inode) {
  std::string want = "socket:[" + inode + "]";
  DIR* proc = ::opendir("/proc");
  if (!proc) return {};
  Owner found;
  while (dirent* e = ::readdir(proc)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    std::string fd_dir = std::string("/proc/") + e->d_name + "/fd";
    DIR* fds = ::opendir(fd_dir.c_str());
    if (!fds) continue;
    while (dirent* f = ::readdir(fds)) {
      char target[256];
      ssize_t n = ::readlink((fd_dir + "/" + f->d_name).c_str(), target, sizeof target - 1);
      if (n <= 0) continue;
      target[n] = '\0';
      if (want == target) {
        std::ifstream comm(std::string("/proc/") + e->d_name + "/comm");
        std::string name;
        std::getline(comm, name);
        found = {std::atoi(e->d_name), name};
        break;
      }
    }
    ::closedir(fds);
    if (found.pid) break;
  }
  ::closedir(proc);
  return found;
}

// Asks the port's owner whether it is a persistproc server; its pid if so.
std::optional<int> persistproc_pid(int port, const std::optional<std::string>& token) {
  boost::asio::io_context ioc;
  auto fut = boost::asio::co_spawn(
      ioc,
      [port, &ioc, token]() -> boost::asio::awaitable<std::optional<int>> {
        client::McpClient c(ioc.get_executor(), {port, token});
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
  ioc.run_for(std::chrono::seconds(2));  // a failure bound for a peer that never answers
  try {
    if (fut.wait_for(std::chrono::seconds(0)) == std::future_status::ready) return fut.get();
  } catch (...) {
  }
  return std::nullopt;
}

}  // namespace

std::string describe_port_holder(int port, const std::optional<std::string>& token) {
  // Our own user's processes can be named from /proc; for anyone else's, ask over MCP.
  std::string inode = listening_inode(port);
  Owner owner = inode.empty() ? Owner{} : owner_of_inode(inode);
  if (owner.pid) {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(owner.pid) + "/exe", ec);
    if (!ec && exe.filename() == "persistproc") return "a persistproc server (PID " + std::to_string(owner.pid) + ")";
    return owner.name + " (PID " + std::to_string(owner.pid) + ")";
  }
  if (auto pid = persistproc_pid(port, token)) return "a persistproc server (PID " + std::to_string(*pid) + ")";
  return "another program";
}

}  // namespace pp::server
