// Statistics over samples: the median and range every cell shows, and the
// quantiles of latency rows.
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>

namespace pp::bench {

// The q-quantile (0 ≤ q < 1) by nearest rank; the median (q = 0.5) is the middle
// sample, or the mean of the middle two. NaN for no samples.
inline double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  std::size_t mid = v.size() / 2;
  if (q == 0.5) return v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}
inline double median(const std::vector<double>& v) { return quantile(v, 0.5); }

// The smallest and largest sample; only for a non-empty set.
inline double lowest(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }
inline double highest(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }

}  // namespace pp::bench
