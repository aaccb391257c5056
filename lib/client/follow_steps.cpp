#include "client/follow_steps.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "client/call.hpp"
#include "core/exit_codes.hpp"

namespace pp::client {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

asio::awaitable<CallOutcome> call(const FollowOptions& o, std::string tool, json::object args) {
  asio::any_io_executor ex = co_await asio::this_coro::executor;
  Endpoint endpoint{o.port, o.token};  // a named local: see run_steps.cpp
  CallOutcome out = co_await call_tool(ex, std::move(endpoint), std::move(tool), std::move(args));
  co_return out;
}

// A call that did not reach the tool, or the tool's error, as the end of the command.
std::optional<Failed> refused(const CallOutcome& r, int port) {
  if (r.kind == CallOutcome::no_server)
    return Failed{kExitNoServer, "no server answers on port " + std::to_string(port) + ". " + start_server_hint(port)};
  if (r.kind != CallOutcome::ok) return Failed{kExitFailed, r.message};
  auto* e = r.result.if_contains("error");
  if (e && e->is_string()) return Failed{kExitFailed, std::string(e->as_string())};
  return std::nullopt;
}

std::string string_or_empty(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

asio::awaitable<RunEvent> find_followed(const FollowOptions& o) {
  json::object query;
  for (const char* k : {"pid", "command_or_label", "working_directory"})
    if (auto* v = o.output_args.if_contains(k)) query[k] = *v;
  CallOutcome listed = co_await call(o, "list", std::move(query));
  if (auto f = refused(listed, o.port)) co_return std::move(*f);
  const json::object* chosen = nullptr;  // the running one, else the last (most recent) one
  for (const auto& v : listed.result.at("processes").as_array())
    if (!chosen || chosen->at("status") != "running") chosen = &v.as_object();
  if (!chosen) {
    // The server's own words for what did not match: the same as `output` says.
    json::object args = o.output_args;
    args["lines"] = 0;
    CallOutcome out = co_await call(o, "output", std::move(args));
    if (auto f = refused(out, o.port)) co_return std::move(*f);
    co_return Failed{kExitFailed, "no process matches"};
  }
  Found found;
  found.pid = chosen->at("pid").to_number<int>();
  found.log_combined = string_or_empty(*chosen, "log_combined");
  found.attached = true;
  found.label = string_or_empty(*chosen, "label");
  found.ended = chosen->at("status") != "running";
  if (auto* code = chosen->if_contains("exit_code"); code && code->is_number())
    found.exit_code = code->to_number<int>();
  co_return found;
}

asio::awaitable<RunEvent> read_backlog(const FollowOptions& o, int pid) {
  json::object args = o.output_args;
  args.erase("command_or_label");  // the process found, not whatever the name now names
  args.erase("working_directory");
  args["pid"] = pid;
  CallOutcome out = co_await call(o, "output", std::move(args));
  if (auto f = refused(out, o.port)) co_return std::move(*f);
  Backlog b;
  for (const auto& l : out.result.at("output").as_array()) b.lines.emplace_back(l.as_string());
  co_return b;
}

}  // namespace pp::client
