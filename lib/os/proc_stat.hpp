// Facts about a live process from /proc: its start time (which tells a recycled
// pid from the original), its resident memory, its environment.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp {

// Field 22 of /proc/<pid>/stat: start time in clock ticks after boot. A pid that
// is reused gets a different value. nullopt when the process does not exist.
std::optional<std::uint64_t> process_start_ticks(int pid);

// The process exists and is not a zombie (state Z) or dead (X): a zombie has
// ended, even while its parent has not reaped it yet.
bool process_is_live(int pid);

// Sum of the resident set sizes of `pids` in bytes (from /proc/<pid>/statm);
// processes that are gone count 0.
std::uint64_t rss_bytes(const std::vector<int>& pids);

// Whether the environment `pid` was started with holds exactly `entry`
// ("NAME=value"; /proc/<pid>/environ, readable for our own user's processes).
bool environ_has(int pid, std::string_view entry);

// This boot's id (/proc/sys/kernel/random/boot_id without the newline; "" when
// unreadable): with the start ticks, tells a process of this boot from one of another.
std::string current_boot_id();

}  // namespace pp
