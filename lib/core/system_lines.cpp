#include "core/system_lines.hpp"

#include <charconv>

namespace pp {

namespace {
constexpr std::string_view kExited = "Process exited with code ";
constexpr std::string_view kKilled = "Process terminated by signal ";
constexpr std::string_view kRestarting = "; restarting";
constexpr std::string_view kRestarted = "Restarted as PID ";
constexpr std::string_view kRestartFailed = "Restart failed: ";
constexpr std::string_view kStarted = "Process started (PID ";

bool take_int(std::string_view& s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc()) return false;
  s.remove_prefix(static_cast<std::size_t>(p - s.data()));
  return true;
}
}  // namespace

bool needs_escape(std::string_view line) {
  std::size_t i = line.find_first_not_of('\\');
  return i != std::string_view::npos && line.substr(i).starts_with(kSystemTag.substr(0, 8));
}

std::string_view unescape_output(std::string_view text) {
  if (!text.empty() && text[0] == '\\' && needs_escape(text)) text.remove_prefix(1);
  return text;
}

std::string started_text(int pid, const std::string& command, const std::string& cwd) {
  return std::string(kStarted) + std::to_string(pid) + "): " + command + " in " + cwd;
}

std::string exit_text(int c, bool restarting) {
  std::string s = c < 0 ? std::string(kKilled) + std::to_string(-c) + " (exit code " + std::to_string(c) + ")"
                        : std::string(kExited) + std::to_string(c);
  if (restarting) s += kRestarting;
  return s;
}

std::string restarted_text(int new_pid, const std::string& log) {
  return std::string(kRestarted) + std::to_string(new_pid) + ", log " + log;
}

std::string restart_failed_text(const std::string& error) { return std::string(kRestartFailed) + error; }

std::string lost_lines_text(std::uint64_t lines, const std::string& log, const std::string& error) {
  return "Lost " + std::to_string(lines) + (lines == 1 ? " line" : " lines") + " of " + log +
         ": they could not be written (" + error + ")";
}

std::string reopened_text(const std::string& log) {
  return "Log file " + log + " was deleted while in use; it goes on in a new file of that name";
}

std::optional<SystemEvent> parse_system_text(std::string_view t) {
  if (!t.starts_with(kSystemTag)) return std::nullopt;
  t.remove_prefix(kSystemTag.size());
  SystemEvent e;
  if (t.starts_with(kStarted)) return e;
  if (t.starts_with(kExited) || t.starts_with(kKilled)) {
    bool killed = t.starts_with(kKilled);
    t.remove_prefix(killed ? kKilled.size() : kExited.size());
    int n;
    if (!take_int(t, n)) return std::nullopt;
    e.kind = SystemEvent::exited;
    e.exit_code = killed ? -n : n;
    e.restarting = t.ends_with(kRestarting);
    return e;
  }
  if (t.starts_with(kRestarted)) {
    t.remove_prefix(kRestarted.size());
    if (!take_int(t, e.new_pid) || !t.starts_with(", log ")) return std::nullopt;
    e.kind = SystemEvent::restarted;
    e.path = std::string(t.substr(6));
    return e;
  }
  if (t.starts_with(kRestartFailed)) {
    e.kind = SystemEvent::restart_failed;
    e.error = std::string(t.substr(kRestartFailed.size()));
    return e;
  }
  return std::nullopt;
}

}  // namespace pp
