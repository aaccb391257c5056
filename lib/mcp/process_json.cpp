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
void add_live_facts(json::object& e, const InstanceFacts& facts, Millis start) {
  json::array ports;
  for (int port : facts.ports) ports.emplace_back(port);
  e["ports"] = std::move(ports);
  e["rss_bytes"] = facts.rss_bytes;
  e["uptime_s"] = std::max<Millis>(0, now_ms() - start) / 1000;
}
}  // namespace

std::optional<double> next_restart_in_s(const Process& p) {
  auto due = p.restart_due();
  if (!due) return std::nullopt;
  return static_cast<double>(std::max<Millis>(0, *due - now_ms())) / 1000.0;
}

json::object process_entry(const Process& p, const InstanceFacts* live) {
  json::array cmd;
  for (const auto& a : p.spec().command) cmd.emplace_back(a);
  auto end = p.end_time();
  json::object e{
      {"pid", p.pid()},
      {"command", std::move(cmd)},
      {"working_directory", p.spec().cwd},
      {"status", to_string(p.status())},
      {"label", p.spec().label},
      {"start_time", format_iso_ms(p.start_time())},
      {"end_time", end ? json::value(format_iso_ms(*end)) : json::value(nullptr)},
      {"exit_code", nullable(p.exit_code())},
      {"log_stdout", p.logs().stdout_path},
      {"log_stderr", p.logs().stderr_path},
      {"log_combined", p.logs().combined_path},
      {"tty", p.spec().tty},
      {"log_tty", p.logs().tty_path.empty() ? json::value(nullptr) : json::value(p.logs().tty_path)},
      {"restarts", p.restarts()},
      {"restart", to_string(p.spec().restart.mode)},
      {"note", p.note().empty() ? json::value(nullptr) : json::value(p.note())},
  };
  auto in = next_restart_in_s(p);
  e["next_restart_in_s"] = in ? json::value(*in) : json::value(nullptr);
  if (live) {
    add_live_facts(e, *live, p.start_time());
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
  };
  std::vector<int> me{self.pid};
  add_live_facts(e, {listening_ports(me, listening_sockets()), rss_bytes(me)}, self.start_time);
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
