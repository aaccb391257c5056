#include "os/port_owner.hpp"

#include "core/shell_words.hpp"
#include "core/timestamp.hpp"
#include "mcp/args.hpp"
#include "mcp/tools.hpp"
#include "os/proc_stat.hpp"
#include "supervise/log_reader.hpp"

namespace pp::mcp {

json::array combined_tail(const Process& p, std::uint64_t n, bool before_exit_line) {
  ReadQuery q;
  q.lines = n + (before_exit_line ? 1 : 0);
  ReadResult r = p.read(Stream::combined, q);
  if (before_exit_line && !r.lines.empty() &&
      std::string_view(r.lines.back()).substr(kStampLen).starts_with(" [SYSTEM] "))
    r.lines.pop_back();
  if (r.lines.size() > n) r.lines.erase(r.lines.begin(), r.lines.end() - static_cast<std::ptrdiff_t>(n));
  json::array out;
  for (const auto& l : r.lines) out.emplace_back(l);
  return out;
}

json::value nullable(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }
json::value nullable(const std::optional<int>& n) { return n ? json::value(*n) : json::value(nullptr); }

json::object nullable_type(const char* type) { return {{"type", json::array{type, "null"}}}; }

namespace {
void add_live_facts(json::object& e, const std::vector<int>& ports_of, std::uint64_t rss, Millis uptime_s) {
  json::array ports;
  for (int port : ports_of) ports.emplace_back(port);
  e["ports"] = std::move(ports);
  e["rss_bytes"] = rss;
  e["uptime_s"] = uptime_s;
}

Millis uptime_s(Millis start, Millis now) { return std::max<Millis>(0, now - start) / 1000; }
}  // namespace

std::optional<double> next_restart_in_s(const Process& p) {
  auto due = p.restart_due();
  if (!due) return std::nullopt;
  return static_cast<double>(std::max<Millis>(0, *due - now_ms())) / 1000.0;
}

EntryState entry_state(const Process& p, const InstanceFacts* live, Millis now) {
  EntryState s;
  s.status = p.status();
  s.end_time = p.end_time();
  s.exit_code = p.exit_code();
  s.restarts = p.restarts();
  s.note = p.note();
  if (auto due = p.restart_due()) s.restart_in_ms = std::max<Millis>(0, *due - now);
  s.ready = p.ready();
  s.ready_ms = p.ready_ms();
  if (live) s.live = LiveState{live->ports, live->rss_bytes, uptime_s(p.start_time(), now)};
  return s;
}

json::object fixed_fields(const Process& p) {
  json::array cmd;
  for (const auto& a : p.spec().command) cmd.emplace_back(a);
  const StackMember& m = p.spec().member;
  json::array deps;
  for (const auto& d : m.depends_on) deps.push_back(json::object{{"name", d.name}, {"condition", d.condition}});
  return {
      {"pid", p.pid()},
      {"command", std::move(cmd)},
      {"working_directory", p.spec().cwd},
      {"label", p.spec().label},
      {"start_time", format_iso_ms(p.start_time())},
      {"log_stdout", p.logs().stdout_path},
      {"log_stderr", p.logs().stderr_path},
      {"log_combined", p.logs().combined_path},
      {"tty", p.spec().tty},
      {"log_tty", p.logs().tty_path.empty() ? json::value(nullptr) : json::value(p.logs().tty_path)},
      {"restart", to_string(p.spec().restart.mode)},
      {"stack", m.stack.empty() ? json::value(nullptr) : json::value(m.stack)},
      {"name", m.stack.empty() ? json::value(nullptr) : json::value(m.name)},
      {"depends_on", std::move(deps)},
  };
}

json::object changing_fields(const EntryState& s) {
  json::object e{
      {"status", to_string(s.status)},
      {"end_time", s.end_time ? json::value(format_iso_ms(*s.end_time)) : json::value(nullptr)},
      {"exit_code", nullable(s.exit_code)},
      {"restarts", s.restarts},
      {"note", s.note.empty() ? json::value(nullptr) : json::value(s.note)},
      {"next_restart_in_s",
       s.restart_in_ms ? json::value(static_cast<double>(*s.restart_in_ms) / 1000.0) : json::value(nullptr)},
      {"ready", s.ready},
      {"ready_ms", s.ready_ms ? json::value(*s.ready_ms) : json::value(nullptr)},
  };
  if (s.live) {
    add_live_facts(e, s.live->ports, s.live->rss_bytes, s.live->uptime_s);
  } else {
    e["ports"] = json::array{};
    e["rss_bytes"] = nullptr;
    e["uptime_s"] = nullptr;
  }
  return e;
}

json::object server_entry(const ServerSelf& self) {
  json::object e{
      {"pid", self.pid},
      {"command", json::array{"persistproc", "serve"}},
      {"working_directory", self.data_dir},
      {"status", "running"},
      {"label", "persistproc-server"},
      {"start_time", format_iso_ms(self.start_time)},
      {"end_time", nullptr},
      {"exit_code", nullptr},
      {"log_stdout", nullptr},
      {"log_stderr", nullptr},
      {"log_combined", self.log_path},
      {"tty", false},
      {"log_tty", nullptr},
      {"restarts", 0},
      {"restart", "no"},
      {"next_restart_in_s", nullptr},
      {"note", nullptr},
      {"stack", nullptr},
      {"name", nullptr},
      {"depends_on", json::array{}},
      {"ready", true},
      {"ready_ms", nullptr},
  };
  std::vector<int> me{self.pid};
  add_live_facts(e, listening_ports(me, listening_sockets()), rss_bytes(me), uptime_s(self.start_time, now_ms()));
  return e;
}

void add_target_properties(json::object& props) {
  props["pid"] = {{"type", "integer"}, {"description", "Process id (wins over the other selectors)."}};
  props["command_or_label"] = {{"type", "string"},
                               {"description", "A label, or the command line, of a process (a running one first, else the most "
                       "recently ended one)."}};
  props["working_directory"] = {{"type", "string"},
                                {"description", "Narrows a command match to processes started in this directory."}};
}

Target read_target(const json::object& o) {
  Args a(o);
  Target t;
  if (auto pid = a.integer("pid", 0, 0x7fffffff)) t.pid = static_cast<int>(*pid);
  t.command_or_label = a.str("command_or_label");
  t.working_directory = a.str("working_directory");
  return t;
}

}  // namespace pp::mcp
