// Log time stamps: ISO-8601 UTC with milliseconds, and the parser for time filters.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pp {

using Clock = std::chrono::system_clock;
using Millis = std::int64_t;  // milliseconds since the Unix epoch, UTC

Millis now_ms();

// "2025-07-06T14:30:21.123Z" (always 24 characters).
std::string format_iso_ms(Millis t);
constexpr std::size_t kStampLen = 24;

// Accepts YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH[:MM]]; no zone means UTC.
// Returns nullopt for anything else (including out-of-range fields).
std::optional<Millis> parse_iso(std::string_view text);

// Reads the stamp at the start of a log line; nullopt when the line has none.
std::optional<Millis> parse_line_stamp(std::string_view line);

}  // namespace pp
