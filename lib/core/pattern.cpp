#include "core/pattern.hpp"

#include <re2/re2.h>

namespace pp {

Pattern::Pattern(std::unique_ptr<re2::RE2> re, std::string text) : re_(std::move(re)), text_(std::move(text)) {}
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
  return std::make_shared<const Pattern>(std::move(re), std::string(text));
}

bool Pattern::search(std::string_view line) const {
  return re2::RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *re_);
}

}  // namespace pp
