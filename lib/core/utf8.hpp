// Makes arbitrary bytes valid UTF-8 so every log line is valid in JSON.
#pragma once
#include <string>
#include <string_view>

namespace pp {

// Appends `in` to `out`, replacing each maximal invalid subsequence with U+FFFD.
void append_valid_utf8(std::string& out, std::string_view in);

// Length of the longest valid UTF-8 prefix of `in`: in.size() when all of it is
// valid, so a caller can use the bytes as they are instead of copying them.
std::size_t valid_utf8_prefix(std::string_view in);

// Length of `s` without a trailing multi-byte sequence that is cut short (never 0 for
// non-empty `s`); used to split over-long lines on a character boundary.
std::size_t complete_prefix_len(std::string_view s);

}  // namespace pp
