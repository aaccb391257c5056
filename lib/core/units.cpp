#include "core/units.hpp"

#include <cctype>

namespace pp {

namespace {

// The leading digits as a number (at most 18 of them); `text` keeps what follows.
std::optional<std::uint64_t> take_number(std::string_view& text) {
  std::size_t n = 0;
  std::uint64_t v = 0;
  while (n < text.size() && text[n] >= '0' && text[n] <= '9') {
    if (n == 18) return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(text[n] - '0');
    ++n;
  }
  if (n == 0) return std::nullopt;
  text.remove_prefix(n);
  return v;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  auto v = take_number(text);
  if (!v) return std::nullopt;
  int shift = 0;
  if (!text.empty()) {
    switch (std::tolower(static_cast<unsigned char>(text[0]))) {
      case 'k': shift = 10; break;
      case 'm': shift = 20; break;
      case 'g': shift = 30; break;
      default: return std::nullopt;
    }
    text.remove_prefix(1);
    if (!text.empty() && !equals_ignoring_case(text, "b") && !equals_ignoring_case(text, "ib")) return std::nullopt;
  }
  constexpr std::uint64_t kMax = std::uint64_t{1} << 62;
  if (*v > (kMax >> shift)) return std::nullopt;
  return *v << shift;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  auto v = take_number(text);
  if (!v) return std::nullopt;
  std::uint64_t unit = 86400;
  if (!text.empty()) {
    if (text.size() != 1) return std::nullopt;
    switch (text[0]) {
      case 'd': unit = 86400; break;
      case 'h': unit = 3600; break;
      case 'm': unit = 60; break;
      case 's': unit = 1; break;
      default: return std::nullopt;
    }
  }
  constexpr std::uint64_t kMax = 100ull * 366 * 86400;
  if (*v > kMax / unit) return std::nullopt;
  return std::chrono::seconds(static_cast<std::int64_t>(*v * unit));
}

std::string byte_size_problem(std::string_view text) {
  return parse_byte_size(text) ? "" : "'" + std::string(text) + "' is not a size (try 64M, 512K, 1G or bytes)";
}

std::string duration_problem(std::string_view text) {
  return parse_duration(text) ? "" : "'" + std::string(text) + "' is not a duration (try 7d, 12h, 30m or days)";
}

}  // namespace pp
