#include "cli/global_options.hpp"

#include <cstdlib>

#include "core/units.hpp"

namespace pp::cli {

std::string default_data_dir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/persistproc";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/persistproc";
}

std::string check_environment() {
  if (const char* p = std::getenv("PERSISTPROC_PORT")) {
    std::string v = p;
    bool digits = !v.empty() && v.size() <= 5 && v.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoi(v) > 65535)
      return "PERSISTPROC_PORT='" + v + "' is not a port number (0-65535)";
  }
  if (const char* f = std::getenv("PERSISTPROC_FORMAT")) {
    std::string v = f;
    if (v != "text" && v != "json") return "PERSISTPROC_FORMAT='" + v + "' must be text or json";
  }
  if (const char* d = std::getenv("PERSISTPROC_DATA_DIR"); d && !*d) return "PERSISTPROC_DATA_DIR is set but empty";
  if (const char* n = std::getenv("PERSISTPROC_NO_AUTH")) {
    std::string v = n;
    if (v != "0" && v != "1" && !v.empty()) return "PERSISTPROC_NO_AUTH='" + v + "' must be 1 or 0";
  }
  if (const char* m = std::getenv("PERSISTPROC_MAX_LOG_SIZE"); m && !parse_byte_size(m))
    return "PERSISTPROC_MAX_LOG_SIZE='" + std::string(m) + "' is not a size (try 64M, 512K, 1G or bytes)";
  if (const char* r = std::getenv("PERSISTPROC_LOG_RETENTION"); r && !parse_duration(r))
    return "PERSISTPROC_LOG_RETENTION='" + std::string(r) + "' is not a duration (try 7d, 12h, 30m or days)";
  return "";
}

}  // namespace pp::cli
