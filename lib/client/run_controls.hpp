// How `run` acts on the process it shows (docs/cli.md#run): typed input, window
// size changes and a passed-on Ctrl+C, as `ctrl` calls (docs/mcp.md#input) in one
// MCP session of their own, kept open so a key costs one request on a warm
// connection. Calls go one at a time, in order; input that arrives while one is
// under way is sent together in the next, and of several resizes waiting only the
// last is sent. Each input call ends in an InputSent event on the inbox.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>

#include "client/mcp_client.hpp"
#include "client/run_events.hpp"
#include "client/terminal.hpp"
#include "core/event.hpp"

namespace pp::client {

class RunControls {
 public:
  RunControls(boost::asio::any_io_executor ex, Endpoint endpoint, Inbox& inbox);
  ~RunControls();

  // The process the calls are for; a restart changes it.
  void target(int pid) { pid_ = pid; }
  void input(std::string_view bytes);
  void resize(WindowSize size);
  void signal(std::string name);
  // Bytes given to input() and not yet sent.
  std::size_t waiting() const { return input_.size(); }
  // Ends the session, once the call under way (if any) is done.
  boost::asio::awaitable<void> close();

 private:
  boost::asio::awaitable<void> pump();
  boost::asio::awaitable<std::string> call(json::object args);

  boost::asio::any_io_executor ex_;
  Endpoint endpoint_;
  Inbox& inbox_;
  std::unique_ptr<McpClient> client_;  // opened on first use, again after a failure
  Pulse pump_ended_;
  int pid_ = 0;
  std::string input_;
  std::optional<WindowSize> resize_;
  std::optional<std::string> signal_;
  bool pumping_ = false;
  bool closing_ = false;
};

}  // namespace pp::client
