// Time for the benchmarks: steady_clock throughout, so no interval jumps with the
// wall clock. On Linux it is CLOCK_MONOTONIC, the clock the test helper's `stamp:`
// lines and pm2_agent.mjs's event times are read on, so their figures compare.
#pragma once
#include <chrono>

namespace pp::bench {

using Clock = std::chrono::steady_clock;

// Milliseconds since t0, fractional: the unit most rows are printed in.
inline double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Milliseconds from t0 to t1 (negative if t1 came first).
inline double ms_between(Clock::time_point t0, Clock::time_point t1) {
  return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

// Milliseconds until the deadline, for poll(); 0 once it has passed.
inline int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// A CLOCK_MONOTONIC reading in nanoseconds, as another process wrote it down.
inline Clock::time_point from_monotonic_ns(double ns) {
  return Clock::time_point(std::chrono::nanoseconds(static_cast<long long>(ns)));
}

}  // namespace pp::bench
