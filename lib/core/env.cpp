#include "core/env.hpp"

#include <cstdlib>

#include "core/units.hpp"

namespace pp::env {

namespace {

std::string equals_quoted(const std::string& v) { return "='" + v + "'"; }

// Each check returns "" for a good value, else the message's part after the name.
std::string check_port(const std::string& v) {
  bool digits = !v.empty() && v.size() <= 5 && v.find_first_not_of("0123456789") == std::string::npos;
  return digits && std::stoi(v) <= 65535 ? "" : equals_quoted(v) + " is not a port number (0-65535)";
}
std::string check_format(const std::string& v) {
  return v == "text" || v == "json" ? "" : equals_quoted(v) + " must be text or json";
}
std::string check_data_dir(const std::string& v) { return v.empty() ? " is set but empty" : ""; }
std::string check_no_auth(const std::string& v) {
  return v == "0" || v == "1" || v.empty() ? "" : equals_quoted(v) + " must be 1 or 0";
}
std::string after_equals(const std::string& problem) { return problem.empty() ? "" : "=" + problem; }
std::string check_size(const std::string& v) { return after_equals(byte_size_problem(v)); }
std::string check_duration(const std::string& v) { return after_equals(duration_problem(v)); }

struct Entry {
  Var var;
  const char* name;
  std::string (*check)(const std::string&);  // nullptr: any value will do
};

// In the order check_all() tries them; `var` is the row's index (see row()).
constexpr Entry kTable[] = {
    {Var::port, "PERSISTPROC_PORT", check_port},
    {Var::format, "PERSISTPROC_FORMAT", check_format},
    {Var::data_dir, "PERSISTPROC_DATA_DIR", check_data_dir},
    {Var::no_auth, "PERSISTPROC_NO_AUTH", check_no_auth},
    {Var::max_log_size, "PERSISTPROC_MAX_LOG_SIZE", check_size},
    {Var::log_retention, "PERSISTPROC_LOG_RETENTION", check_duration},
    {Var::token, "PERSISTPROC_TOKEN", nullptr},
    {Var::xdg_data_home, "XDG_DATA_HOME", nullptr},
    {Var::home, "HOME", nullptr},
    {Var::notify_socket, "NOTIFY_SOCKET", nullptr},
    {Var::listen_fds, "LISTEN_FDS", nullptr},
    {Var::listen_pid, "LISTEN_PID", nullptr},
    {Var::columns, "COLUMNS", nullptr},
    {Var::no_color, "NO_COLOR", nullptr},
};

constexpr bool rows_follow_the_enum() {
  for (std::size_t i = 0; i < std::size(kTable); ++i)
    if (static_cast<std::size_t>(kTable[i].var) != i) return false;
  return std::size(kTable) == static_cast<std::size_t>(Var::no_color) + 1;
}
static_assert(rows_follow_the_enum(), "one row per Var, in the enum's order");

const Entry& row(Var v) { return kTable[static_cast<std::size_t>(v)]; }

}  // namespace

const char* name(Var v) { return row(v).name; }

std::optional<std::string> get(Var v) {
  if (const char* value = std::getenv(row(v).name)) return std::string(value);
  return std::nullopt;
}

std::optional<std::string> get_nonempty(Var v) {
  auto value = get(v);
  return value && !value->empty() ? value : std::nullopt;
}

std::string check_all() {
  for (const Entry& e : kTable) {
    if (!e.check) continue;
    if (auto value = get(e.var))
      if (std::string why = e.check(*value); !why.empty()) return e.name + why;
  }
  return "";
}

}  // namespace pp::env
