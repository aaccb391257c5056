// Fuzzes the POSIX shell splitter: never crashes, and join(split(x)) splits back the same.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/shell_words.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  pp::SplitResult r = pp::shell_split(text);
  if (r.error.empty()) {
    pp::SplitResult again = pp::shell_split(pp::shell_join(r.words));
    if (!again.error.empty() || again.words != r.words) std::abort();
  }
  return 0;
}
