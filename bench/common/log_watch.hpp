// Watching a log file grow, the way a reader sees it: a wait ends when the bytes
// are in the file. inotify wakes each wait, none sleeps.
#pragma once
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace pp::bench {

// Its size in bytes; 0 if it does not exist.
long long file_size(const std::string& path);

// Waits until the file holds `count` occurrences of `needle` after byte `from`; it
// may not exist yet. False at the bound; *seen_out gets how many there were.
bool await_count(const std::string& path, long long from, const std::string& needle, long count,
                 std::chrono::milliseconds bound = std::chrono::seconds(120), long* seen_out = nullptr);

// Waits until the file is at least `size` bytes long; it may not exist yet. Each
// wake-up costs one fstat, no read, so a waiter does not compete with the writer
// it times. False at the bound; *size_out gets the size it last saw.
bool await_size(const std::string& path, long long size, std::chrono::milliseconds bound = std::chrono::seconds(120),
                long long* size_out = nullptr);

// The same, and then until `done` accepts the file's last `tail` bytes (all of
// it when shorter), read once per wake-up from then on: for a log whose final
// size is not known, only a lower bound and how it ends.
bool await_tail(const std::string& path, long long size, std::size_t tail,
                const std::function<bool(std::string_view tail)>& done,
                std::chrono::milliseconds bound = std::chrono::seconds(120), long long* size_out = nullptr);

// Waits for the child's "ready" line (from the test helper or the flood child), in
// the log from byte `from` on; throws, naming `who`, if it does not come.
void await_ready(const std::string& log, const std::string& who, long long from = 0);

}  // namespace pp::bench
