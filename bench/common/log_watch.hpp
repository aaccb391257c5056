// Watching a log file grow, the way a reader sees it: a wait ends when the bytes
// are in the file. inotify wakes each wait, none sleeps.
#pragma once
#include <chrono>
#include <string>

namespace pp::bench {

// Its size in bytes; 0 if it does not exist.
long long file_size(const std::string& path);

// Waits until the file holds `count` occurrences of `needle` after byte `from`; it
// may not exist yet. False at the bound; *seen_out gets how many there were.
bool await_count(const std::string& path, long long from, const std::string& needle, long count,
                 std::chrono::milliseconds bound = std::chrono::seconds(120), long* seen_out = nullptr);

// Waits for the child's "ready" line (from the test helper or the flood child), in
// the log from byte `from` on; throws, naming `who`, if it does not come.
void await_ready(const std::string& log, const std::string& who, long long from = 0);

}  // namespace pp::bench
