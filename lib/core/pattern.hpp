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
  // A quick test over many lines at once: false means no line of `block` can
  // match; true means some may (check each with search()).
  bool may_match_some_line(std::string_view block) const;
  const std::string& text() const { return text_; }

  Pattern(std::unique_ptr<re2::RE2> re, bool block_prefilter, std::string text);  // use compile()
  ~Pattern();

 private:
  std::unique_ptr<re2::RE2> re_;
  bool block_prefilter_;  // false when the pattern anchors at a line's start or end
  std::string text_;
};

}  // namespace pp
