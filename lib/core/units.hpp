// Byte sizes and durations as people type them on the command line
// (`--max-log-size 64M`, `--log-retention 7d`).
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pp {

// A whole number of bytes, optionally followed by K, M or G (KiB, MiB, GiB; any case,
// also written KB/KiB...). nullopt for anything else, or a size past 2^62 bytes.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// A whole number followed by d, h, m or s (days, hours, minutes, seconds); a plain
// number means days. nullopt for anything else, or more than 100 years.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// "" when the parser above takes `text`, else why not, quoting it and showing what
// would do; the one wording for a flag and for its environment variable.
std::string byte_size_problem(std::string_view text);
std::string duration_problem(std::string_view text);

}  // namespace pp
