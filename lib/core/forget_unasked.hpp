// Caches kept between calls (list's facts and texts, the state file's records)
// hold only what the last call asked about, so they stay the size of the table,
// not of every instance the server ever ran.
#pragma once
#include <iterator>
#include <utility>

namespace pp {

// Drops the entries of `cache` (a map whose values have a bool `asked`) that the
// call did not ask about, and clears `asked` on the rest for the next call.
template <class Cache>
void forget_unasked(Cache& cache) {
  for (auto it = cache.begin(); it != cache.end();)
    it = std::exchange(it->second.asked, false) ? std::next(it) : cache.erase(it);
}

}  // namespace pp
