#include "supervise/state_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/posix_io.hpp"
#include "core/unique_fd.hpp"
#include "os/proc_stat.hpp"

namespace pp {

namespace json = boost::json;

namespace {

constexpr int kVersion = 1;

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& x : v) a.emplace_back(x);
  return a;
}

json::value readiness_json(const Readiness& r) {
  if (!r.configured()) return nullptr;
  json::object o{{"log_line", r.log_line ? json::value(r.log_line->text()) : json::value(nullptr)}};
  if (r.probe) {
    const ReadinessProbe& p = *r.probe;
    json::object probe{{"initial_delay_ms", p.initial_delay.count()},
                       {"period_ms", p.period.count()},
                       {"timeout_ms", p.timeout.count()},
                       {"failure_threshold", p.failure_threshold}};
    if (p.exec) probe["exec"] = json::object{{"argv", strings(p.exec->argv)}, {"cwd", p.exec->cwd}};
    if (p.http_get)
      probe["http_get"] = json::object{{"host", p.http_get->host}, {"port", p.http_get->port}, {"path", p.http_get->path}};
    o["probe"] = std::move(probe);
  } else {
    o["probe"] = nullptr;
  }
  return o;
}

json::value member_json(const StackMember& m) {
  if (m.stack.empty()) return nullptr;
  json::array deps;
  for (const auto& d : m.depends_on) deps.push_back(json::object{{"name", d.name}, {"condition", d.condition}});
  return json::object{{"stack", m.stack}, {"name", m.name}, {"depends_on", std::move(deps)}};
}

json::object to_json(const SavedProcess& p) {
  json::array cmd;
  for (const auto& a : p.spec.command) cmd.emplace_back(a);
  json::object env;
  for (const auto& [k, v] : p.spec.env) env[k] = v;
  return {{"pid", p.pid},
          {"pgid", p.pgid},
          {"start_ticks", p.start_ticks},
          {"start_time", format_iso_ms(p.start_time)},
          {"command", std::move(cmd)},
          {"working_directory", p.spec.cwd},
          {"environment", std::move(env)},
          {"label", p.spec.label},
          {"log_stdout", p.logs.stdout_path},
          {"log_stderr", p.logs.stderr_path},
          {"log_combined", p.logs.combined_path},
          {"log_tty", p.logs.tty_path.empty() ? json::value(nullptr) : json::value(p.logs.tty_path)},
          {"tty", p.spec.tty},
          {"columns", p.spec.columns},
          {"rows", p.spec.rows},
          {"restarts", p.restarts},
          {"restart", to_string(p.spec.restart.mode)},
          {"max_restarts", p.spec.restart.max_restarts},
          {"backoff", static_cast<double>(p.spec.restart.backoff.count()) / 1000.0},
          {"member", member_json(p.spec.member)},
          {"ready", readiness_json(p.spec.ready)},
          {"stop_signal", p.spec.stop_signal},
          {"stop_grace_ms", p.spec.stop_grace ? json::value(p.spec.stop_grace->count()) : json::value(nullptr)}};
}

// Field readers that throw std::runtime_error naming the field.
const json::value& field(const json::object& o, const char* name) {
  auto* v = o.if_contains(name);
  if (!v) throw std::runtime_error(std::string("no '") + name + "'");
  return *v;
}

std::string text(const json::object& o, const char* name) {
  const auto& v = field(o, name);
  if (!v.is_string()) throw std::runtime_error(std::string("'") + name + "' is not a string");
  return std::string(v.as_string());
}

template <class N>
N number(const json::object& o, const char* name) {
  try {
    return field(o, name).to_number<N>();
  } catch (const boost::system::system_error&) {
    throw std::runtime_error(std::string("'") + name + "' is not a suitable number");
  }
}

const json::object& object(const json::value& v, const char* name) {
  if (!v.is_object()) throw std::runtime_error(std::string("'") + name + "' is not an object");
  return v.as_object();
}

std::vector<std::string> string_list(const json::object& o, const char* name) {
  const auto& v = field(o, name);
  if (!v.is_array()) throw std::runtime_error(std::string("'") + name + "' is not an array");
  std::vector<std::string> out;
  for (const auto& a : v.as_array()) {
    if (!a.is_string()) throw std::runtime_error(std::string("'") + name + "' holds a non-string");
    out.emplace_back(a.as_string());
  }
  return out;
}

// A field that may be absent or null (files written before it existed).
const json::value* present(const json::object& o, const char* name) {
  auto* v = o.if_contains(name);
  return v && !v->is_null() ? v : nullptr;
}

StackMember member_from(const json::object& o) {
  StackMember m;
  m.stack = text(o, "stack");
  m.name = text(o, "name");
  const auto& deps = field(o, "depends_on");
  if (!deps.is_array()) throw std::runtime_error("'depends_on' is not an array");
  for (const auto& d : deps.as_array()) {
    const auto& dep = object(d, "depends_on");
    m.depends_on.push_back({text(dep, "name"), text(dep, "condition")});
  }
  if (m.stack.empty()) throw std::runtime_error("'member' has an empty 'stack'");
  return m;
}

Readiness readiness_from(const json::object& o) {
  Readiness r;
  if (auto* line = present(o, "log_line")) {
    if (!line->is_string()) throw std::runtime_error("'log_line' is not a string");
    std::string error;
    r.log_line = Pattern::compile(std::string(line->as_string()), error);
    if (!r.log_line) throw std::runtime_error("'log_line' does not compile: " + error);
  }
  if (auto* pv = present(o, "probe")) {
    const auto& po = object(*pv, "probe");
    ReadinessProbe p;
    p.initial_delay = std::chrono::milliseconds(number<std::int64_t>(po, "initial_delay_ms"));
    p.period = std::chrono::milliseconds(number<std::int64_t>(po, "period_ms"));
    p.timeout = std::chrono::milliseconds(number<std::int64_t>(po, "timeout_ms"));
    p.failure_threshold = number<int>(po, "failure_threshold");
    if (p.initial_delay.count() < 0 || p.period.count() <= 0 || p.timeout.count() <= 0)
      throw std::runtime_error("the probe's times are out of range");
    if (auto* e = present(po, "exec")) {
      const auto& eo = object(*e, "exec");
      p.exec = ExecCheck{string_list(eo, "argv"), text(eo, "cwd")};
      if (p.exec->argv.empty()) throw std::runtime_error("'argv' is empty");
    }
    if (auto* h = present(po, "http_get")) {
      const auto& ho = object(*h, "http_get");
      p.http_get = HttpCheck{text(ho, "host"), number<int>(ho, "port"), text(ho, "path")};
      if (p.http_get->port < 1 || p.http_get->port > 65535) throw std::runtime_error("'port' is out of range");
    }
    if (p.exec.has_value() == p.http_get.has_value())
      throw std::runtime_error("the probe needs exactly one of 'exec' and 'http_get'");
    r.probe = std::move(p);
  }
  return r;
}

SavedProcess process_from(const json::object& o) {
  SavedProcess p;
  p.pid = number<int>(o, "pid");
  p.pgid = number<int>(o, "pgid");
  if (p.pid <= 0 || p.pgid <= 0) throw std::runtime_error("'pid' and 'pgid' must be positive");
  p.start_ticks = number<std::uint64_t>(o, "start_ticks");
  auto start = parse_iso(text(o, "start_time"));
  if (!start) throw std::runtime_error("'start_time' is not an ISO-8601 time");
  p.start_time = *start;
  const auto& cmd = field(o, "command");
  if (!cmd.is_array() || cmd.as_array().empty()) throw std::runtime_error("'command' is not a non-empty array");
  for (const auto& a : cmd.as_array()) {
    if (!a.is_string()) throw std::runtime_error("'command' holds a non-string");
    p.spec.command.emplace_back(a.as_string());
  }
  p.spec.cwd = text(o, "working_directory");
  const auto& env = field(o, "environment");
  if (!env.is_object()) throw std::runtime_error("'environment' is not an object");
  for (const auto& [k, v] : env.as_object()) {
    if (!v.is_string()) throw std::runtime_error("'environment' holds a non-string");
    p.spec.env[std::string(k)] = std::string(v.as_string());
  }
  p.spec.label = text(o, "label");
  p.logs.stdout_path = text(o, "log_stdout");
  p.logs.stderr_path = text(o, "log_stderr");
  p.logs.combined_path = text(o, "log_combined");
  p.restarts = number<int>(o, "restarts");
  // Absent in files written before PTY mode: a process on pipes.
  if (auto* tty = o.if_contains("tty")) {
    if (!tty->is_bool()) throw std::runtime_error("'tty' is not a boolean");
    p.spec.tty = tty->as_bool();
    p.spec.columns = number<unsigned short>(o, "columns");
    p.spec.rows = number<unsigned short>(o, "rows");
    if (auto* log = o.if_contains("log_tty"); log && log->is_string()) p.logs.tty_path = std::string(log->as_string());
  }
  // Absent in files written before restart policies: none.
  if (o.if_contains("restart")) {
    auto mode = parse_restart_mode(text(o, "restart"));
    if (!mode) throw std::runtime_error("'restart' is not one of " + std::string(kRestartModes));
    p.spec.restart.mode = *mode;
    p.spec.restart.max_restarts = number<int>(o, "max_restarts");
    double backoff = number<double>(o, "backoff");
    if (p.spec.restart.max_restarts < 0 || !(backoff >= 0 && backoff <= RestartPolicy::kMaxBackoffSeconds))
      throw std::runtime_error("'max_restarts' or 'backoff' is out of range");
    p.spec.restart.backoff = std::chrono::milliseconds(static_cast<std::int64_t>(backoff * 1000 + 0.5));
  }
  // Absent (or null) in files written before stacks: none, and SIGTERM with the
  // server's grace.
  if (auto* m = present(o, "member")) p.spec.member = member_from(object(*m, "member"));
  if (auto* r = present(o, "ready")) p.spec.ready = readiness_from(object(*r, "ready"));
  if (present(o, "stop_signal")) {
    p.spec.stop_signal = number<int>(o, "stop_signal");
    if (p.spec.stop_signal < 1 || p.spec.stop_signal > 64) throw std::runtime_error("'stop_signal' is out of range");
  }
  if (present(o, "stop_grace_ms")) {
    auto ms = number<std::int64_t>(o, "stop_grace_ms");
    if (ms < 0) throw std::runtime_error("'stop_grace_ms' is negative");
    p.spec.stop_grace = std::chrono::milliseconds(ms);
  }
  return p;
}

// The server's own identity, read once per process rather than on each of the
// writes every start and exit makes (two more files read on the exit's path).
struct ServerIdentity {
  int pid = 0;
  std::uint64_t start_ticks = 0;
  std::string boot_id;
};
const ServerIdentity& server_identity() {
  static ServerIdentity id;
  int pid = static_cast<int>(::getpid());
  if (id.pid != pid) id = {pid, process_start_ticks(pid).value_or(0), current_boot_id()};  // after a fork, anew
  return id;
}

// The file's text: the identity of the server that wrote it, then the records'
// texts (saved_process_text), which a writer may have kept from an earlier write.
std::string file_text(const ServerIdentity& who, const std::vector<const std::string*>& records) {
  json::object head{{"version", kVersion},
                    {"server_pid", who.pid},
                    {"server_start_ticks", who.start_ticks},
                    {"boot_id", who.boot_id}};
  std::string text = json::serialize(head);
  text.back() = ',';  // the object goes on with its processes
  text += R"("processes":[)";
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i) text += ',';
    text += *records[i];
  }
  text += "]}\n";
  return text;
}

}  // namespace

bool recorded(const Process& p) {
  // One waiting for its policy's restart is still supervised: --restore starts it.
  return p.running() || p.restart_due();
}

SavedProcess saved_process(const Process& p) {
  SavedProcess e;
  e.pid = e.pgid = p.pid();  // each child leads its own session and group
  e.start_ticks = p.start_ticks();
  e.start_time = p.start_time();
  e.spec = p.spec();
  e.logs = p.logs();
  e.restarts = p.restarts();
  return e;
}

std::string saved_process_text(const SavedProcess& p) { return json::serialize(to_json(p)); }

std::string state_text(const std::vector<const std::string*>& records) {
  return file_text(server_identity(), records);
}

SavedState snapshot(const std::vector<std::shared_ptr<Process>>& table) {
  SavedState s;
  const ServerIdentity& self = server_identity();
  s.server_pid = self.pid;
  s.server_start_ticks = self.start_ticks;
  s.boot_id = self.boot_id;
  for (const auto& p : table)
    if (recorded(*p)) s.processes.push_back(saved_process(*p));
  return s;
}

std::string write_state(const std::string& path, const SavedState& state) {
  std::vector<std::string> texts;
  for (const auto& p : state.processes) texts.push_back(saved_process_text(p));
  std::vector<const std::string*> records;
  for (const auto& t : texts) records.push_back(&t);
  return write_state_text(path, file_text({state.server_pid, state.server_start_ticks, state.boot_id}, records));
}

std::string write_state_text(const std::string& path, const std::string& body) {
  // Same directory, so the rename is atomic: a reader (or the next server after a
  // crash) sees the old file or the new one, never half of one. No fsync: the file
  // only matters while the machine stays up (a reboot ends every process anyway).
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot create " + tmp + ": " + std::strerror(errno);
  ::fchmod(fd, 0600);  // a leftover temporary file may have had another mode
  int err = write_all(fd, body) == body.size() ? 0 : errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + std::strerror(err);
  }
  return "";
}

LoadedState read_state(const std::string& path) {
  LoadedState out;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno != ENOENT) out.error = "cannot read " + path + ": " + std::strerror(errno);
    return out;
  }
  std::string body;
  if (!read_to_end(fd.get(), body)) {
    out.error = "cannot read " + path + ": " + std::strerror(errno);
    return out;
  }

  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    out.error = path + " is not JSON: " + ec.message();
    return out;
  }
  SavedState s;
  try {
    if (!v.is_object()) throw std::runtime_error("not an object");
    const auto& root = v.as_object();
    if (int version = number<int>(root, "version"); version != kVersion)
      throw std::runtime_error("version " + std::to_string(version) + " is not " + std::to_string(kVersion));
    s.server_pid = number<int>(root, "server_pid");
    s.server_start_ticks = number<std::uint64_t>(root, "server_start_ticks");
    s.boot_id = text(root, "boot_id");
    const auto& procs = field(root, "processes");
    if (!procs.is_array()) throw std::runtime_error("'processes' is not an array");
    std::size_t i = 0;
    for (const auto& p : procs.as_array()) {
      ++i;
      try {
        if (!p.is_object()) throw std::runtime_error("not an object");
        s.processes.push_back(process_from(p.as_object()));
      } catch (const std::exception& e) {
        out.skipped.push_back("entry " + std::to_string(i) + ": " + e.what());
      }
    }
  } catch (const std::exception& e) {
    out.error = path + " is not a state file: " + e.what();
    return out;
  }
  out.state = std::move(s);
  return out;
}

}  // namespace pp
