// `wait_for`: after a start or restart, wait until a line of the new instance's
// output matches a pattern, the instance exits, or the time is up. Awaited on the
// instance's "lines appended" pulse; nothing polls.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/pattern.hpp"
#include "supervise/log_set.hpp"
#include "supervise/process.hpp"

namespace pp {

struct ReadyOutcome {
  enum Kind { matched, exited, timed_out } kind = timed_out;
  std::string line;   // the matching line (matched)
  Millis ready_ms = 0;  // from the instance's start (or `from`) to that line's stamp (matched)
};

class ReadyWatch : public LineWatcher {
 public:
  explicit ReadyWatch(std::shared_ptr<const Pattern> pattern) : pattern_(std::move(pattern)) {}

  // Install before the instance's pumps first run (Supervisor::start does), so no
  // line goes by unseen.
  void on_line(std::string_view line, Millis stamp) override;

  // ready_ms counts from `from` when given (an input's write), else from the
  // instance's start. (No default argument: g++ 12 mishandles them on coroutines.)
  boost::asio::awaitable<ReadyOutcome> wait(std::shared_ptr<Process> inst, std::chrono::milliseconds timeout,
                                            std::optional<Millis> from);

 private:
  std::shared_ptr<const Pattern> pattern_;
  bool matched_ = false;
  std::string line_;
  Millis stamp_ = 0;
};

}  // namespace pp
