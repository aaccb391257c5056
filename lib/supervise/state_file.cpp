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
          {"backoff", static_cast<double>(p.spec.restart.backoff.count()) / 1000.0}};
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
  return p;
}

}  // namespace

SavedState snapshot(const std::vector<std::shared_ptr<Process>>& table) {
  SavedState s;
  s.server_pid = static_cast<int>(::getpid());
  s.server_start_ticks = process_start_ticks(s.server_pid).value_or(0);
  s.boot_id = current_boot_id();
  for (const auto& p : table) {
    // One waiting for its policy's restart is still supervised: --restore starts it.
    if (!p->running() && !p->restart_due()) continue;
    SavedProcess e;
    e.pid = e.pgid = p->pid();  // each child leads its own session and group
    e.start_ticks = p->start_ticks();
    e.start_time = p->start_time();
    e.spec = p->spec();
    e.logs = p->logs();
    e.restarts = p->restarts();
    s.processes.push_back(std::move(e));
  }
  return s;
}

std::string write_state(const std::string& path, const SavedState& state) {
  json::array procs;
  for (const auto& p : state.processes) procs.emplace_back(to_json(p));
  json::object root{{"version", kVersion},
                    {"server_pid", state.server_pid},
                    {"server_start_ticks", state.server_start_ticks},
                    {"boot_id", state.boot_id},
                    {"processes", std::move(procs)}};
  std::string body = json::serialize(root) + "\n";
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
