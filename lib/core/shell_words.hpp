// POSIX shell word splitting and quoting, for command lines sent as one string.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp {

struct SplitResult {
  std::vector<std::string> words;
  std::string error;  // non-empty when the text cannot be split (unterminated quote, trailing backslash)
};

// Splits like a POSIX shell does for a simple command, without expansions:
// whitespace separates words; '...' is literal; "..." keeps $ ` " \ escapes
// (backslash only escapes $ ` " \ and newline inside double quotes);
// an unquoted backslash quotes the next character; backslash-newline vanishes.
SplitResult shell_split(std::string_view text);

// Quotes one word so shell_split gives it back unchanged.
std::string shell_quote(std::string_view word);

// Joins words with shell_quote so that shell_split(shell_join(v)) == v.
std::string shell_join(const std::vector<std::string>& words);

}  // namespace pp
