// The three MCP tools (docs/mcp.md#tools): name, description, schemas and the call itself.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/worker_pool.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/live_facts.hpp"
#include "mcp/tool_text.hpp"
#include "stack/stacks.hpp"
#include "supervise/log_file.hpp"
#include "supervise/read_budget.hpp"
#include "supervise/supervisor.hpp"

namespace pp::mcp {

// What `pid: 0` describes: the server itself.
struct ServerSelf {
  int pid = 0;
  std::string data_dir;
  std::string log_path;
  const LogFile* log = nullptr;
  Millis start_time = 0;
};

// How `output` reads (docs/mcp.md#output): everything whose cost grows with a log
// on `pool`, never on the I/O thread, each call within `budget`.
// The server's pool has this many threads: so many reads run at once, more wait their turn.
inline constexpr std::size_t kReaderThreads = 2;
struct OutputReading {
  WorkerPool* pool = nullptr;
  std::chrono::steady_clock::duration budget = kReadBudget;
  // Tests only: runs on the worker after each block read (ReadBudget).
  std::function<void()> on_block;
};

struct Tool {
  std::string name;
  std::string title;        // for people: shown by clients instead of the name
  std::string description;
  // Hints for clients' approval policies (MCP ToolAnnotations): readOnlyHint,
  // destructiveHint, idempotentHint, openWorldHint.
  json::object annotations;
  json::object input_schema;
  json::object output_schema;
  // Returns the result object (with "error" null or a message); throws RpcError
  // with kInvalidParams for bad arguments, which the server turns into an error
  // result the model can read and correct (SEP-1303).
  std::function<boost::asio::awaitable<json::object>(const json::object& args)> call;
  // Set instead of `call` by a tool that writes its result as text itself (list):
  // appends to `out`, which holds the response's head, the rest as append_result
  // does (tool_text.hpp). Throws before writing anything for bad arguments.
  std::function<boost::asio::awaitable<void>(const json::object& args, std::string& out)> write_result;
};

Tool make_ctrl_tool(Supervisor& sup, stack::Stacks& stacks);
// ctrl's up and down actions (tool_ctrl_stack.cpp).
boost::asio::awaitable<json::object> ctrl_stack(stack::Stacks& stacks, const std::string& action,
                                                const json::object& args);
Tool make_list_tool(Supervisor& sup, const ServerSelf& self);
Tool make_output_tool(Supervisor& sup, const ServerSelf& self, const OutputReading& reading);

// The tools keep references to all four.
inline std::vector<Tool> make_tools(Supervisor& sup, stack::Stacks& stacks, const ServerSelf& self,
                                    const OutputReading& reading) {
  return {make_ctrl_tool(sup, stacks), make_list_tool(sup, self), make_output_tool(sup, self, reading)};
}


// Shared pieces of the tools' JSON.
// A list entry is fixed_fields (what one instance keeps for its life) plus
// changing_fields of its EntryState (what may differ from one call to the next);
// list keeps both as text and makes them again only when they change (list_texts.hpp).
struct LiveState {  // a running process's InstanceFacts and uptime
  std::vector<int> ports;
  std::uint64_t rss_bytes = 0;
  Millis uptime_s = 0;
  bool operator==(const LiveState&) const = default;
};
struct EntryState {
  Status status = Status::running;
  std::optional<Millis> end_time;
  std::optional<int> exit_code;
  int restarts = 0;
  std::string note;
  std::optional<Millis> restart_in_ms;  // waiting for its restart policy
  bool ready = false;
  std::optional<Millis> ready_ms;
  std::optional<LiveState> live;  // running: `live` facts (nullptr for an ended one)
  bool operator==(const EntryState&) const = default;
};
// `now`: the time of the call (for uptime_s and next_restart_in_s).
EntryState entry_state(const Process& p, const InstanceFacts* live, Millis now);
json::object fixed_fields(const Process& p);
json::object changing_fields(const EntryState& s);
// Seconds (to the millisecond) until its restart policy starts it again, while it waits.
std::optional<double> next_restart_in_s(const Process& p);
json::object server_entry(const ServerSelf& self);
// The last `n` lines of p's combined log, as strings with their stamps; with
// `before_exit_line`, the n before its final [SYSTEM] line (the exit line, once it exited).
json::array combined_tail(const Process& p, std::uint64_t n, bool before_exit_line = false);
json::value nullable(const std::optional<std::string>& s);
json::value nullable(const std::optional<int>& n);
// A schema fragment for "<type> or null".
json::object nullable_type(const char* type);
// The three lookup arguments every tool but start shares.
void add_target_properties(json::object& properties);
Target read_target(const json::object& args);

}  // namespace pp::mcp
