// pp_bench_stress [sockets,search,concurrent,disk]: replays the hostile inputs of
// the robustness issue and prints what happened (bench/README.md#stress).
#include <sys/resource.h>

#include <cstdio>
#include <set>
#include <sstream>

#include "stress/stress.hpp"

int main(int argc, char** argv) {
  std::set<std::string> only;
  if (argc > 1) {
    std::stringstream list(argv[1]);
    for (std::string part; std::getline(list, part, ',');) only.insert(part);
  }
  auto wanted = [&](const char* name) { return only.empty() || only.contains(name); };
  // The flood holds hundreds of sockets open.
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &files);
  try {
    pp::test::TempDir work;
    if (wanted("sockets") || wanted("search") || wanted("concurrent")) {
      pp::test::Server s({"-q", "--max-log-size", "0"});
      if (wanted("sockets")) pp::bench::idle_socket_flood(s);
      if (wanted("search")) pp::bench::slow_search_with_list(s, work.path());
      if (wanted("concurrent")) pp::bench::concurrent_operations(s, work.path());
    }
    if (wanted("disk")) pp::bench::full_disk(work.path());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pp_bench_stress: %s\n", e.what());
    return 1;
  }
  return 0;
}
