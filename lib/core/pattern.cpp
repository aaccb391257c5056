#include "core/pattern.hpp"

#include <re2/re2.h>

namespace pp {

Pattern::Pattern(std::unique_ptr<re2::RE2> re, bool block_prefilter, std::string text)
    : re_(std::move(re)), block_prefilter_(block_prefilter), text_(std::move(text)) {}
Pattern::~Pattern() = default;

std::shared_ptr<const Pattern> Pattern::compile(std::string_view text, std::string& error) {
  if (text.size() > kMaxLength) {
    error = "pattern is " + std::to_string(text.size()) + " characters long; at most " +
            std::to_string(kMaxLength) + " are allowed";
    return nullptr;
  }
  re2::RE2::Options opts;
  opts.set_log_errors(false);    // the client gets the message; the server log need not
  opts.set_max_mem(8 << 20);     // bounds the compiled program and its DFA cache
  opts.set_encoding(re2::RE2::Options::EncodingUTF8);
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(text.data(), text.size()), opts);
  if (!re->ok()) {
    error = "invalid regular expression '" + std::string(text) + "': " + re->error();
    return nullptr;
  }
  // The block prefilter runs the same pattern over a run of lines. A match inside a
  // line's text is then a match inside the block, unless the pattern anchors to
  // where the text starts or ends (^, $, \A, \z: in a block a stamp comes first
  // and a newline after), so such patterns get no prefilter. Matches the block
  // finds across lines or inside stamps are only false alarms: search() decides.
  std::string_view t = text;
  bool anchored = t.find('^') != std::string_view::npos || t.find('$') != std::string_view::npos ||
                  t.find("\\A") != std::string_view::npos || t.find("\\z") != std::string_view::npos;
  return std::make_shared<const Pattern>(std::move(re), !anchored, std::string(text));
}

bool Pattern::may_match_some_line(std::string_view block) const {
  return !block_prefilter_ || re2::RE2::PartialMatch(re2::StringPiece(block.data(), block.size()), *re_);
}

bool Pattern::search(std::string_view line) const {
  return re2::RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *re_);
}

}  // namespace pp
