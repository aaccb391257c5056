#include "core/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace pp {

namespace {
// Length of the valid sequence starting at s[i], or 0 when it is invalid (RFC 3629).
std::size_t valid_len(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else
    return 0;
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}
}  // namespace

std::size_t valid_utf8_prefix(std::string_view in) {
  std::size_t i = 0;
  while (i < in.size()) {
    // ASCII, the common case, sixteen then eight bytes at a time.
    for (std::uint64_t a, b; i + 16 <= in.size(); i += 16) {
      std::memcpy(&a, in.data() + i, 8);
      std::memcpy(&b, in.data() + i + 8, 8);
      if ((a | b) & 0x8080808080808080ull) break;
    }
    for (std::uint64_t w; i + 8 <= in.size(); i += 8) {
      std::memcpy(&w, in.data() + i, 8);
      if (w & 0x8080808080808080ull) break;
    }
    if (i >= in.size()) break;
    std::size_t n = valid_len(in, i);
    if (!n) return i;
    i += n;
  }
  return in.size();
}

void append_valid_utf8(std::string& out, std::string_view in) {
  for (;;) {
    std::size_t ok = valid_utf8_prefix(in);
    out.append(in.substr(0, ok));
    if (ok == in.size()) return;
    out += "\xEF\xBF\xBD";
    // Skip the maximal invalid subsequence: the lead byte plus any continuation bytes.
    std::size_t i = ok + 1;
    while (i < in.size() && (static_cast<unsigned char>(in[i]) & 0xC0) == 0x80) ++i;
    in.remove_prefix(i);
  }
}

std::size_t complete_prefix_len(std::string_view s) {
  for (std::size_t back = 1; back <= 3 && back <= s.size(); ++back) {
    auto c = static_cast<unsigned char>(s[s.size() - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead
    std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    std::size_t start = s.size() - back;
    return (need > back && start > 0) ? start : s.size();
  }
  return s.size();
}

}  // namespace pp
