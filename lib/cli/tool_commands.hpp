// The client subcommands that call one MCP tool (start, stop, restart, ctrl, list,
// output, input) and `shutdown`: build the arguments, call, print, pick the exit code.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "cli/global_options.hpp"
#include "client/mcp_client.hpp"

namespace pp::cli {

struct ToolRequest {
  std::string command;             // start, stop, restart, ctrl, list, output, input
  std::vector<std::string> words;  // TARGET [ARGS...] (ctrl: ACTION TARGET [ARGS...])
  std::string working_directory;
  std::string environment;  // JSON object text
  std::string label;
  std::string command_or_label;
  std::string stream = "combined";
  std::string since_time, before_time;
  std::string grep;  // output: only lines matching this regular expression
  bool force = false;
  std::optional<int> pid;
  int lines = 100;
  std::string wait_for;               // start/restart: regular expression to await
  std::optional<double> wait_timeout;  // seconds
  bool tty = false;                    // start: on a pseudo-terminal
  std::optional<int> columns, rows;    // start --tty: its size
  bool raw = false;                    // output: the raw terminal output
  std::string restart;                 // start: the restart policy (no, on-failure, always)
  std::optional<int> max_restarts;     // start --restart: restarts in a row (0: no limit)
  std::optional<double> backoff;       // start --restart: seconds before the first restart
  bool long_form = false;              // list: a paragraph per process instead of the table
  bool follow = false;                 // output: then follow the log as it grows
};

// One tool call, ready to send: which tool, its arguments, and where to, with a
// reply deadline that allows for a wait_for's whole wait_timeout.
struct PreparedCall {
  std::string usage_error;  // set when the request is wrong; the rest is then empty
  std::string tool;
  boost::json::object args;
  client::Endpoint endpoint;
};
PreparedCall prepare_call(const GlobalOptions& g, const ToolRequest& req);

int tool_command(const GlobalOptions& g, const ToolRequest& req);
int shutdown_command(const GlobalOptions& g);

}  // namespace pp::cli
