// pp_bench_stress: the robustness issue's hostile-input set, replayed against a
// real server, with the figures its closing note asks for (bench/README.md#stress).
#pragma once
#include <string>

#include "support/test_support.hpp"

namespace pp::bench {

inline const std::string kFlood = PP_FLOOD;

// 600 idle TCP connections held open; 100 `list` calls, each on a new connection
// as the CLI makes them: how many succeed, and their latency.
void idle_socket_flood(const pp::test::Server& s);
// A search with a pattern RE2 runs slowly, over a ~230 MB log, while another
// client calls `list` as fast as answers come: list p50/p99/max during the search.
void slow_search_with_list(const pp::test::Server& s, const std::string& cwd);
// 8 restarts of one process at once, then 2 stops at once: what each caller hears.
void concurrent_operations(const pp::test::Server& s, const std::string& cwd);
// A server whose data directory is a 20 MiB tmpfs, filled by a flood: lines lost,
// lines reported lost, lines corrupted. Skipped (saying so) where mount is not allowed.
void full_disk(const std::string& work);

}  // namespace pp::bench
