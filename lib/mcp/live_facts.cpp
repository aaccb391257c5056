#include "mcp/live_facts.hpp"

#include "os/proc_stat.hpp"
#include "os/process_tree.hpp"
#include "supervise/process.hpp"

namespace pp::mcp {

const InstanceFacts& LiveFacts::of(const Process& p, std::uint64_t output_seen,
                                   std::chrono::steady_clock::time_point now) {
  Entry& e = entries_[{p.pid(), p.start_time()}];
  e.asked = true;
  if (e.at != std::chrono::steady_clock::time_point{} && now - e.at < reuse_ && e.output_seen == output_seen)
    return e.facts;
  if (!sockets_) sockets_ = listening_sockets();
  std::vector<int> tree = os::tree_of(p.pid());
  e.facts = {listening_ports(tree, *sockets_), rss_bytes(tree)};
  e.at = now;
  e.output_seen = output_seen;
  return e.facts;
}

void LiveFacts::end_call() {
  forget_unasked(entries_);
  sockets_.reset();
}

}  // namespace pp::mcp
