// What `list` says of a running process besides the table: its ports and memory,
// read from /proc. These are snapshots anyway, so a process's facts are reused
// for a short while (kFactsReuse) when calls come faster, unless it wrote output
// since (a server says it listens as it starts to), so an agent that polls
// `list` costs what the table costs, not what the machine costs
// (docs/architecture.md#list).
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/forget_unasked.hpp"
#include "core/timestamp.hpp"
#include "os/port_owner.hpp"

namespace pp {
class Process;
}

namespace pp::mcp {

inline constexpr std::chrono::milliseconds kFactsReuse{1000};

struct InstanceFacts {
  std::vector<int> ports;  // TCP ports its tree listens on, ascending
  std::uint64_t rss_bytes = 0;
};

class LiveFacts {
 public:
  explicit LiveFacts(std::chrono::milliseconds reuse = kFactsReuse) : reuse_(reuse) {}

  // The facts of running process `p` (its pid and all its descendants).
  // `output_seen`: how often it has written output so far (its appended() count).
  // `now`: the call's time.
  const InstanceFacts& of(const Process& p, std::uint64_t output_seen, std::chrono::steady_clock::time_point now);
  // After each call: forgets the processes not asked about in it (they ended or
  // were filtered out), so the cache stays the size of the table, and the
  // machine's listening sockets, read at most once per call.
  void end_call();

 private:
  struct Entry {
    InstanceFacts facts;
    std::chrono::steady_clock::time_point at;
    std::uint64_t output_seen = 0;
    bool asked = false;
  };
  std::chrono::milliseconds reuse_;
  std::optional<ListeningSockets> sockets_;
  std::map<std::pair<int, Millis>, Entry> entries_;  // by pid and start time
};

}  // namespace pp::mcp
