#include "common/procfs.hpp"

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/test_support.hpp"

namespace pp::bench {

namespace {

std::string proc(int pid, const char* file) { return "/proc/" + std::to_string(pid) + "/" + file; }

long status_kib(int pid, const char* field) {
  std::ifstream in(proc(pid, "status"));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
  return -1;
}

// Fields 14 and 15 of /proc/<pid>/stat: utime and stime, in clock ticks.
constexpr int kUtimeField = 14, kStimeField = 15;
// What clear_refs takes to reset the peak RSS.
constexpr const char* kClearPeakRss = "5";

}  // namespace

long rss_kib(int pid) { return status_kib(pid, "VmRSS:"); }
long hwm_kib(int pid) { return status_kib(pid, "VmHWM:"); }

void reset_hwm(int pid) { std::ofstream(proc(pid, "clear_refs")) << kClearPeakRss; }

double cpu_seconds(int pid) {
  std::string s = pp::test::read_file(proc(pid, "stat"));
  // The fields after the command name, which is in brackets and may hold spaces; field 3 comes first.
  std::istringstream rest(s.substr(s.rfind(')') + 2));
  std::string tok;
  double ticks = 0;
  for (int field = 3; rest >> tok && field <= kStimeField; ++field)
    if (field >= kUtimeField) ticks += std::stod(tok);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double run_seconds(int pid) {
  double ns = 0;
  std::error_code ec;
  for (const auto& t : std::filesystem::directory_iterator(proc(pid, "task"), ec)) {
    std::ifstream in(t.path() / "schedstat");
    double on_cpu = 0;  // the first field: time spent on a CPU, ns
    if (in >> on_cpu) ns += on_cpu;
  }
  return ns / 1e9;
}

}  // namespace pp::bench
