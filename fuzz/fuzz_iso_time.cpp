// Fuzzes the ISO-8601 parser: never crashes; what it accepts formats and parses back.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/timestamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto t = pp::parse_iso(text)) {
    // Years 0000-9999 with offsets stay within what format_iso_ms prints as four digits.
    if (*t > -62135596800000LL && *t < 253402300799000LL) {
      auto back = pp::parse_iso(pp::format_iso_ms(*t));
      if (!back || *back != *t) std::abort();
    }
  }
  pp::parse_line_stamp(text);
  return 0;
}
