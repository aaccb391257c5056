// `persistproc mcp`: an MCP server on stdin/stdout for clients that only start
// servers as commands (Claude Desktop's local servers, IDE plugins). Each line on
// stdin is one JSON-RPC message, POSTed as it is to the running server; each
// answer, and each notification on the session's event stream, is written to
// stdout as one line as soon as it arrives (nothing is held back beyond the one
// message being written). Diagnostics go to stderr only: stdout is the protocol.
#pragma once
#include "client/mcp_client.hpp"

namespace pp::client {

struct BridgeOptions {
  Endpoint endpoint;
  int in_fd = 0;
  int out_fd = 1;
};

// Runs until stdin ends (then the session is ended with DELETE) or the server
// goes away. Returns the process exit code (kExitOk, or kExitNoServer when the
// server is or went away).
int run_stdio_bridge(const BridgeOptions& opts);

}  // namespace pp::client
