// The `list` tool: the process table, filtered; pid 0 describes the server.
#include <memory>

#include "mcp/args.hpp"
#include "mcp/list_texts.hpp"
#include "mcp/live_facts.hpp"
#include "mcp/tools.hpp"

namespace pp::mcp {

namespace {
json::object entry_schema() {
  json::object p;
  p["pid"] = {{"type", "integer"}};
  p["command"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
  p["working_directory"] = {{"type", "string"}};
  p["status"] = {{"type", "string"}, {"enum", json::array{"running", "exited", "terminated", "failed"}}};
  p["label"] = {{"type", "string"}};
  p["start_time"] = {{"type", "string"}};
  p["end_time"] = nullable_type("string");
  p["exit_code"] = nullable_type("integer");
  for (const char* k : {"log_stdout", "log_stderr"}) p[k] = nullable_type("string");
  p["log_combined"] = {{"type", "string"}};  // the server's entry has its own log here
  p["tty"] = {{"type", "boolean"}, {"description", "Runs on a pseudo-terminal (started with tty: true)."}};
  p["log_tty"] = {{"type", json::array{"string", "null"}},
                  {"description", "On a pseudo-terminal: the raw terminal output, colours included (no stamps)."}};
  p["ports"] = {{"type", "array"}, {"items", {{"type", "integer"}}},
                {"description", "TCP ports the process or its descendants listen on (running processes)."}};
  p["rss_bytes"] = nullable_type("integer");
  p["restarts"] = {{"type", "integer"}, {"description", "How many restarts (on request or by its policy) led to it."}};
  p["restart"] = {{"type", "string"}, {"enum", json::array{"no", "on-failure", "always"}},
                  {"description", "Its restart policy (ctrl start's restart)."}};
  p["next_restart_in_s"] = {{"type", json::array{"number", "null"}},
                            {"description", "Ended and waiting: seconds until its restart policy starts it again."}};
  p["uptime_s"] = nullable_type("integer");
  p["note"] = {{"type", json::array{"string", "null"}},
               {"description", "Set on an entry left over by a server that ended without shutting down (what "
                               "became of that process), or when an error in the server stopped part of the "
                               "process's supervision (its output or exit may go unrecorded)."}};
  p["stack"] = {{"type", json::array{"string", "null"}},
                {"description", "The stack it belongs to (started by up from a stack file), else null."}};
  p["name"] = {{"type", json::array{"string", "null"}},
               {"description", "Its name in its stack's file (found by this name when unambiguous), else null."}};
  p["depends_on"] = {
      {"type", "array"},
      {"items",
       {{"type", "object"},
        {"properties", {{"name", {{"type", "string"}}}, {"condition", {{"type", "string"}}}}},
        {"required", json::array{"name", "condition"}}}},
      {"description", "The processes of its stack it waits for, each with its condition ([] when none)."}};
  p["ready"] = {{"type", "boolean"},
                {"description", "Running and ready: its ready line was printed or its readiness probe passed "
                                "(a process without either is ready while it runs)."}};
  p["ready_ms"] = {{"type", json::array{"number", "null"}},
                   {"description", "Milliseconds from its start until it became ready (with a ready line or "
                                   "probe), else null."}};
  json::array req;
  for (const auto& [k, v] : p) req.emplace_back(k);
  return {{"type", "object"}, {"properties", std::move(p)}, {"required", std::move(req)}};
}
}  // namespace

Tool make_list_tool(Supervisor& sup, const ServerSelf& self) {
  Tool t;
  t.name = "list";
  t.title = "List processes";
  t.annotations = {{"readOnlyHint", true}, {"openWorldHint", false}};
  t.description =
      "List managed processes: every running one plus the 10 most recently ended, with status "
      "(running, exited, terminated, failed), exit_code, times and log file paths. A running process also "
      "shows ports (TCP ports it or its descendants listen on: the dev server's URL is http://localhost:<port>), "
      "rss_bytes (memory of it and its descendants) and uptime_s; restarts counts restarts of that label; restart is its "
      "restart policy, and next_restart_in_s, while an ended process waits to be restarted by it, when that "
      "happens. Filters combine with AND; command_or_label matches a label or a command line. pid 0 describes the persistproc server itself. "
      "note, when not null, explains an entry left over by a server that ended without shutting down, or an error "
      "in the server that stopped part of the process's supervision. stack keeps the processes of one stack; each entry's "
      "stack, name and depends_on describe its place in a stack, ready whether it is ready (its ready line or "
      "readiness probe held; a process without either is ready while running) and ready_ms after how long.\n"
      "Example: {\"command_or_label\": \"npm run dev\"}";
  json::object props;
  add_target_properties(props);
  props["stack"] = {{"type", "string"}, {"description", "Only the processes of this stack (started by up)."}};
  t.input_schema = {{"type", "object"}, {"properties", std::move(props)}, {"additionalProperties", false}};
  t.output_schema = {{"type", "object"},
                     {"properties", {{"processes", {{"type", "array"}, {"items", entry_schema()}}}}},
                     {"required", json::array{"processes"}}};
  auto facts = std::make_shared<LiveFacts>();
  auto texts = std::make_shared<ListTexts>();
  t.write_result = [&sup, &self, facts, texts](const json::object& o,
                                               std::string& out) -> boost::asio::awaitable<void> {
    Args(o).only({"pid", "command_or_label", "working_directory", "stack"});
    Target f = read_target(o);
    f.stack = Args(o).str("stack");
    if (f.stack && f.stack->empty()) throw RpcError{kInvalidParams, "'stack' must not be empty"};
    if (f.pid && *f.pid == 0) {
      append_result(out, json::object{{"processes", json::array{server_entry(self)}}});
      co_return;
    }
    auto table = sup.list(f);
    auto steady = std::chrono::steady_clock::now();
    Millis now = now_ms();
    std::vector<ListTexts::Row> rows;
    rows.reserve(table.size());
    for (const auto& p : table)
      rows.push_back({p.get(), p->running() ? &facts->of(*p, p->appended().count(), steady) : nullptr});
    texts->write(rows, now, out);
    facts->end_call();
    co_return;
  };
  return t;
}

}  // namespace pp::mcp
