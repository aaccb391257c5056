// How long one read of a log may work (docs/mcp.md#output). A search is linear in
// the log, but with a pattern RE2 must run on its slow engine (`\p{Greek}{500}`)
// linear means tens of seconds over a big log. The readers ask spent() after each
// block they read; once it says so they stop and say how far they got.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace pp {

// Per `output` call, counted from when a worker takes the call up.
inline constexpr std::chrono::steady_clock::duration kReadBudget = std::chrono::seconds(5);

class ReadBudget {
 public:
  using Clock = std::chrono::steady_clock;

  // No limit: a read on the caller's own thread of a log known to be small to read.
  ReadBudget() = default;
  // `limit` of work from now. `on_block` (tests only) runs at every spent(), on
  // the reader's thread. A set `stop` ends the read too (the server is going away).
  explicit ReadBudget(Clock::duration limit, std::function<void()> on_block = nullptr,
                      const std::atomic<bool>* stop = nullptr);

  // Asked after each block of work: true once the time is used up, and from then on.
  // A limit of 0 lets exactly one block be read.
  bool spent();
  // The limit, for messages: "5 s", "250 ms".
  std::string limit_text() const;

 private:
  std::optional<Clock::time_point> deadline_;
  Clock::duration limit_{};
  std::function<void()> on_block_;
  const std::atomic<bool>* stop_ = nullptr;
};

}  // namespace pp
