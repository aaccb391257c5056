#include "supervise/left_over.hpp"

#include <algorithm>

namespace pp {

LeftOver::LeftOver(const boost::asio::any_io_executor& ex, SavedProcess saved, std::string note)
    : saved_(std::move(saved)),
      note_(std::move(note)),
      end_(std::max(saved_.start_time, now_ms())),
      exited_(ex),
      appended_(ex) {
  exited_.set();
}

std::string LeftOver::open_log(Stream s, LogRange& range) const {
  return range.open(saved_.logs.of(s), nullptr, nullptr);
}

}  // namespace pp
