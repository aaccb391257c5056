// What pp_bench_scale's sections share: the sizes to measure at, whether the run
// is a quick one, and the tables they fill. Each section is a function, named as
// --only names it (bench/README.md#scale).
#pragma once
#include <boost/json/object.hpp>
#include <deque>
#include <string>
#include <vector>

#include "scale/grid.hpp"

namespace pp::bench {

struct Scale {
  std::vector<int> sizes;      // managed processes, subscribers
  std::vector<int> followers;  // `run` followers (0: the flood alone)
  bool quick = false;
  int rounds = 0;  // --rounds: the latency and subscribers sections' rounds; 0: their own
  long flood_lines = 0, flood_rate = 0;  // the followers section's flooding child
  std::deque<Grid> grids;  // a deque: a section fills its table where it is, and a failed one still prints
  boost::json::object extra;  // figures kept in the JSON only

  int pick(int full, int quick_count) const { return quick ? quick_count : full; }
  int pick_rounds(int full, int quick_count) const { return rounds > 0 ? rounds : pick(full, quick_count); }
};

// A line on stderr, so whoever waits sees where the run is.
void progress(const std::string& what);

// "processes" and "latency" share their servers: N running processes each.
void processes_and_latency(Scale& sc, bool processes, bool latency);
void subscribers(Scale& sc);
void followers(Scale& sc);

}  // namespace pp::bench
