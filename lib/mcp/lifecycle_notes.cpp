#include "mcp/lifecycle_notes.hpp"

#include "mcp/tools.hpp"

namespace pp::mcp {

namespace {
constexpr std::uint64_t kExitTail = 5;
const char* kEventNames[] = {"started", "exited", "restarted", "restart_failed"};
}  // namespace

json::object lifecycle_data(const Lifecycle& e) {
  const Process& p = e.process;
  json::array cmd;
  for (const auto& a : p.spec().command) cmd.emplace_back(a);
  json::object d{{"event", kEventNames[e.kind]},
                 {"pid", p.pid()},
                 {"label", p.spec().label},
                 {"command", std::move(cmd)},
                 {"working_directory", p.spec().cwd},
                 {"status", to_string(p.status())},
                 {"exit_code", nullable(p.exit_code())},
                 {"log_combined", p.logs().combined_path},
                 {"log_tty", p.logs().tty_path.empty() ? json::value(nullptr) : json::value(p.logs().tty_path)}};
  if (e.kind == Lifecycle::restarted) d["previous_pid"] = e.previous_pid;
  if (e.kind == Lifecycle::restart_failed) d["error"] = e.error;
  if (e.kind == Lifecycle::restarted || e.kind == Lifecycle::restart_failed) d["reason"] = e.reason;
  // An exit on the way to a restart: a restarted (or restart_failed) event follows;
  // by the restart policy, after next_restart_in_s.
  if (e.kind == Lifecycle::exited) d["restarting"] = e.restarting;
  if (e.kind == Lifecycle::exited && e.restarting)
    if (auto in = next_restart_in_s(p)) d["next_restart_in_s"] = *in;
  if (e.kind == Lifecycle::exited && p.exit_code().value_or(0) != 0)
    d["output"] = combined_tail(p, kExitTail, true);  // the exit line is the log's last line now
  return d;
}

int lifecycle_level(const Lifecycle& e) {
  if (e.kind == Lifecycle::restart_failed)  // notice when a stop or shutdown ended a policy's wait, else error
    return e.reason == "stopped" || e.reason == "shutdown" ? 2 : 4;
  if (e.kind != Lifecycle::exited) return 1;                  // info
  if (e.process.status() == Status::terminated) return 2;  // notice: stopped on request
  return e.process.exit_code().value_or(0) == 0 ? 1 : 4;   // info, or error for a crash
}

void publish_lifecycle(Supervisor& sup, Server& server) {
  sup.on_lifecycle([&server](const Lifecycle& e) { server.notify(lifecycle_level(e), "persistproc", lifecycle_data(e)); });
}

}  // namespace pp::mcp
