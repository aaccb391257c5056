// Issue 16's item 5, measured against a server whatever its table holds: a
// child's death (its pidfd readable) -> visible in `list` (a client calling it as
// fast as answers come) and -> the `exited` notification on an event stream; and
// `wait_for`: the matching line written (stamped by the child as it writes) ->
// `ctrl start` returned.
#pragma once
#include <string>
#include <vector>

#include "common/session.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

struct LatencySamples {
  std::vector<double> exit_list, exit_event, wait_for;  // ms
  long list_still_running = 0;  // `list` answers that still said running, over all rounds
};

// `rounds` of each; the processes it starts are labelled lat*, and are ended (killed
// or stopped) before it returns.
LatencySamples latency_rounds(const pp::test::Server& s, Session& sess, const std::string& cwd, int rounds);

}  // namespace pp::bench
