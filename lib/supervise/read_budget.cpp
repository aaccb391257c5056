#include "supervise/read_budget.hpp"

namespace pp {

ReadBudget::ReadBudget(Clock::duration limit, std::function<void()> on_block, const std::atomic<bool>* stop)
    : deadline_(Clock::now() + limit), limit_(limit), on_block_(std::move(on_block)), stop_(stop) {}

bool ReadBudget::spent() {
  if (on_block_) on_block_();
  if (stop_ && *stop_) return true;
  return deadline_ && Clock::now() >= *deadline_;
}

std::string ReadBudget::limit_text() const {
  using namespace std::chrono;
  if (limit_ % seconds(1) == Clock::duration::zero() && limit_ > Clock::duration::zero())
    return std::to_string(duration_cast<seconds>(limit_).count()) + " s";
  return std::to_string(duration_cast<milliseconds>(limit_).count()) + " ms";
}

}  // namespace pp
