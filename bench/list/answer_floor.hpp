// The floor under `list`'s cost on this machine: a server that does nothing but
// send `list`'s answer over HTTP. It answers every MCP request of
// pp::client::McpClient with fixed bytes (initialize, the notification, each
// tools/call with the answer persistproc gave, the session's DELETE), with no
// JSON-RPC, no table and no HTTP library: what is left is the kernel's and the
// event loop's share, which no server sending that answer can avoid
// (bench/README.md#list-cost).
#pragma once
#include <sys/types.h>

#include <string>

namespace pp::bench {

class AnswerFloor {
 public:
  // `answer`: the whole JSON-RPC response body a tools/call gets. The server is
  // a child process of its own (its CPU is measured apart), one thread with an
  // Asio event loop, as persistproc's I/O thread is.
  explicit AnswerFloor(const std::string& answer);
  ~AnswerFloor();
  AnswerFloor(const AnswerFloor&) = delete;
  AnswerFloor& operator=(const AnswerFloor&) = delete;
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace pp::bench
