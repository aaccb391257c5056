// A regular expression from a client (wait_for, output's pattern). RE2, not
// std::regex: matching is linear in the input, so no pattern can hang the server.
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace pp {

class Pattern {
 public:
  static constexpr std::size_t kMaxLength = 1000;

  // The compiled pattern, or null with `error` set (quoting RE2's message).
  static std::shared_ptr<const Pattern> compile(std::string_view text, std::string& error);

  // True when the pattern matches anywhere in `line` (unanchored, like grep).
  bool search(std::string_view line) const;
  const std::string& text() const { return text_; }

  explicit Pattern(std::unique_ptr<re2::RE2> re, std::string text);  // use compile()
  ~Pattern();

 private:
  std::unique_ptr<re2::RE2> re_;
  std::string text_;
};

}  // namespace pp
