#include "os/proc_stat.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace pp {

namespace {
struct StatFields {
  char state = 0;
  std::uint64_t start_ticks = 0;
};

std::optional<StatFields> read_stat(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  // The command name (field 2) is in parentheses and may hold spaces or ')':
  // count fields from the last ')'.
  auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(close + 1));
  StatFields out;
  std::string field;
  if (!(rest >> out.state)) return std::nullopt;  // field 3
  for (int i = 4; i <= 22; ++i)
    if (!(rest >> field)) return std::nullopt;
  try {
    out.start_ticks = std::stoull(field);
  } catch (...) {
    return std::nullopt;
  }
  return out;
}
}  // namespace

std::optional<std::uint64_t> process_start_ticks(int pid) {
  auto s = read_stat(pid);
  return s ? std::optional<std::uint64_t>(s->start_ticks) : std::nullopt;
}

bool process_is_live(int pid) {
  auto s = read_stat(pid);
  return s && s->state != 'Z' && s->state != 'X';
}

std::uint64_t rss_bytes(const std::vector<int>& pids) {
  static const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  std::uint64_t total = 0;
  for (int pid : pids) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/statm");
    std::uint64_t size = 0, resident = 0;
    if (in >> size >> resident) total += resident * page;
  }
  return total;
}

bool environ_has(int pid, std::string_view entry) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  for (std::string e; std::getline(in, e, '\0');)
    if (e == entry) return true;
  return false;
}

std::string current_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

}  // namespace pp
