// An instance's readiness (docs/stacks.md#readiness): a line of its output that
// matches spec().ready.log_line, or spec().ready.probe passing once. Each instance
// has its own: a restarted one is not ready until its own check holds.
#include "core/background.hpp"
#include "core/logger.hpp"
#include "supervise/instance.hpp"
#include "supervise/readiness_probe.hpp"

namespace pp {

namespace asio = boost::asio;

// Sees every line from the first (installed before the pumps run); the instance
// owns it and outlives its calls.
class Instance::ReadyLine : public LineWatcher {
 public:
  ReadyLine(Instance& owner, std::shared_ptr<const Pattern> pattern) : owner_(owner), pattern_(std::move(pattern)) {}
  void on_line(std::string_view line, Millis stamp) override {
    if (owner_.matched_stamp_ || owner_.ready_.is_set() || !pattern_->search(line)) return;
    owner_.matched_stamp_ = stamp;  // announced once the batch is written (announce_matched_line)
  }

 private:
  Instance& owner_;
  std::shared_ptr<const Pattern> pattern_;
};

void Instance::start_readiness(const std::shared_ptr<Instance>& self) {
  const Readiness& r = spec_.ready;
  if (!r.configured()) {
    ready_.set();  // ready while it runs; nothing to announce
    return;
  }
  if (r.log_line) {
    ready_line_ = std::make_shared<ReadyLine>(*this, r.log_line);
    logs_.add_line_watcher(ready_line_);
  }
  if (r.probe) {
    auto ex = child_.get_executor();
    probe_ = std::make_shared<ProbeRunner>(ex, *r.probe, spec_.env);
    Instance* raw = this;
    run_in_background(ex, run_probe(), "readiness probe of PID " + std::to_string(pid_) + " (" + spec_.label + ")",
                      self, {[raw](const std::string& failure) { raw->note_failure(failure); }, nullptr});
  }
}

asio::awaitable<void> Instance::run_probe() {
  auto probe = probe_;
  if (co_await probe->run() && !exited_.is_set() && !ready_.is_set()) become_ready(logs_.next_stamp());
}

void Instance::announce_matched_line() {
  if (matched_stamp_ && !ready_.is_set()) become_ready(*matched_stamp_);
}

void Instance::become_ready(Millis stamp) {
  ready_ms_ = std::max<Millis>(0, stamp - start_);
  ready_.set();
  logger::info("PID " + std::to_string(pid_) + " (" + spec_.label + ") ready after " + std::to_string(*ready_ms_) +
               " ms");
  logs_.appended().notify();  // `list` readers waiting for a change look again
  if (hooks_.ready) hooks_.ready(*this);
}

int Instance::probe_pid() const { return probe_ ? probe_->check_pid() : 0; }

}  // namespace pp
