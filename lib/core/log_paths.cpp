#include "core/log_paths.hpp"

#include "core/shell_words.hpp"

namespace pp {

std::string escape_command(const std::string& line) {
  std::string out;
  bool in_space = false;
  for (char c : line) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    if (space) {
      if (!in_space) out.push_back('_');
      in_space = true;
      continue;
    }
    in_space = false;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
      out.push_back(c);
  }
  if (out.size() > 50) out.resize(50);
  return out;
}

const std::string& LogPaths::of(Stream s) const {
  switch (s) {
    case Stream::out: return stdout_path;
    case Stream::err: return stderr_path;
    case Stream::combined: break;
  }
  return combined_path;
}

LogPaths log_paths_for(const std::string& dir, int pid, const std::vector<std::string>& command, int serial) {
  std::string id = std::to_string(pid) + (serial > 1 ? "-" + std::to_string(serial) : "");
  std::string base = dir + "/" + id + "." + escape_command(shell_join(command));
  return {base + ".stdout", base + ".stderr", base + ".combined", ""};
}

LogPaths with_tty_path(LogPaths paths) {
  std::string_view base = paths.combined_path;
  base.remove_suffix(std::string_view(".combined").size());
  paths.tty_path = std::string(base) + ".tty";
  return paths;
}

}  // namespace pp

namespace pp {

namespace {
constexpr std::string_view kServerLogPrefix = "persistproc.run.";
constexpr std::string_view kServerLogSuffix = ".log";

std::string_view without_backup_suffix(std::string_view name) {
  if (name.ends_with(".1")) name.remove_suffix(2);
  return name;
}
}  // namespace

std::string server_log_path(const std::string& data_dir, const std::string& stamp) {
  return data_dir + "/" + std::string(kServerLogPrefix) + stamp + std::string(kServerLogSuffix);
}

std::string backup_path(const std::string& path) { return path + ".1"; }

bool is_process_log_name(std::string_view name) {
  name = without_backup_suffix(name);
  std::size_t digits = name.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos) return false;
  if (name[digits] == '-') {  // <pid>-<serial>
    std::size_t serial = name.find_first_not_of("0123456789", digits + 1);
    if (serial == digits + 1 || serial == std::string_view::npos) return false;
    digits = serial;
  }
  if (name[digits] != '.') return false;
  for (std::string_view ext : {".stdout", ".stderr", ".combined", ".tty"}) {
    if (!name.ends_with(ext)) continue;
    if (name.size() < digits + 1 + ext.size()) return false;
    // Between "<pid>." and the extension: the escaped command, [A-Za-z0-9_-] only.
    std::string_view middle = name.substr(digits + 1, name.size() - ext.size() - digits - 1);
    for (char c : middle)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
        return false;
    return true;
  }
  return false;
}

bool is_server_log_name(std::string_view name) {
  name = without_backup_suffix(name);
  return name.size() > kServerLogPrefix.size() + kServerLogSuffix.size() && name.starts_with(kServerLogPrefix) &&
         name.ends_with(kServerLogSuffix);
}

}  // namespace pp
