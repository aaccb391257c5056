// One round: one tool brings the stack up, the processes write for a while, the
// tool stops it; what the round measured. Every wait polls inotify on the
// outputs and pidfds; the bounds only fail a round that hangs.
#pragma once
#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "stacks/tool.hpp"

namespace pp::bench {

struct RoundResult {
  double ready_ms = 0;           // the command -> the last ready line in the tool's output
  double returned_ms = -1;       // the command -> `up -d` returned (persistproc only; -1: none)
  double rss_up_mib = 0;         // the supervisor's RSS once every ready line is out
  double rss_running_mib = 0;    // ...and once every process has written `lines` lines
  double stop_exited_ms = 0;     // the stop -> the last of the four processes has exited
  double stop_done_ms = 0;       // the stop -> the stop command returned, or the tool exited
  long written = 0;              // numbered lines the four wrote (their count files)
  long found_at_stop = 0;        // of them in the tool's output once the stop is done
  long found_after = 0;          // ...and once the whole tool has exited (finish())
  std::map<std::string, long> written_by, found_by;  // per process, at stop
  int stop_code = 0;
};

// lines: how many numbered lines each process writes before the stop.
RoundResult run_round(Tool& tool, long lines);

boost::json::object round_json(const RoundResult& r);

}  // namespace pp::bench
