// Turns a byte stream into whole lines: newline-terminated, over-long lines split,
// invalid UTF-8 replaced. The caller decides when a partial tail is flushed.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace pp {

class LineSplitter {
 public:
  static constexpr std::size_t kMaxLine = 64 * 1024;
  using Sink = std::function<void(std::string_view line)>;  // line without '\n', valid UTF-8

  explicit LineSplitter(std::size_t max_line = kMaxLine) : max_line_(max_line) {}

  // Emits every complete line in `bytes` (and pieces of over-long ones); keeps the rest.
  void feed(std::string_view bytes, const Sink& sink);
  // Emits the held partial line, if any.
  void flush(const Sink& sink);
  bool has_partial() const { return !pending_.empty(); }

 private:
  void emit(std::string_view raw, const Sink& sink);
  std::size_t max_line_;
  std::string pending_;
  std::string scratch_;
};

}  // namespace pp
