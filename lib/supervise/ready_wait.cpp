#include "supervise/ready_wait.hpp"

namespace pp {

void ReadyWatch::on_line(std::string_view line, Millis stamp) {
  if (matched_ || !pattern_->search(line)) return;
  matched_ = true;
  line_ = std::string(line);
  stamp_ = stamp;
}

boost::asio::awaitable<ReadyOutcome> ReadyWatch::wait(std::shared_ptr<Process> inst,
                                                        std::chrono::milliseconds timeout,
                                                        std::optional<Millis> from) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // A process pulses `appended` after every batch of lines (on_line ran for each
  // first) and once more when its exit is recorded.
  for (;;) {
    if (matched_) co_return ReadyOutcome{ReadyOutcome::matched, line_, stamp_ - from.value_or(inst->start_time())};
    if (!inst->running()) co_return ReadyOutcome{ReadyOutcome::exited, "", 0};
    if (std::chrono::steady_clock::now() >= deadline) co_return ReadyOutcome{ReadyOutcome::timed_out, "", 0};
    co_await inst->appended().wait_until(deadline);
  }
}

}  // namespace pp
