#include "core/shell_words.hpp"

namespace pp {

SplitResult shell_split(std::string_view s) {
  SplitResult r;
  std::string cur;
  bool in_word = false;
  std::size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
  while (i < s.size()) {
    char c = s[i];
    if (is_space(c)) {
      if (in_word) {
        r.words.push_back(std::move(cur));
        cur.clear();
        in_word = false;
      }
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= s.size()) {
        r.error = "trailing backslash";
        return r;
      }
      if (s[i + 1] != '\n') {
        cur.push_back(s[i + 1]);
        in_word = true;
      }
      i += 2;
    } else if (c == '\'') {
      auto end = s.find('\'', i + 1);
      if (end == std::string_view::npos) {
        r.error = "unterminated single quote";
        return r;
      }
      cur.append(s.substr(i + 1, end - i - 1));
      in_word = true;
      i = end + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char d = s[i];
        if (d == '"') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\\' && i + 1 < s.size()) {
          char n = s[i + 1];
          if (n == '$' || n == '`' || n == '"' || n == '\\') {
            cur.push_back(n);
            i += 2;
            continue;
          }
          if (n == '\n') {
            i += 2;
            continue;
          }
        }
        cur.push_back(d);
        ++i;
      }
      if (!closed) {
        r.error = "unterminated double quote";
        return r;
      }
      in_word = true;
    } else {
      cur.push_back(c);
      in_word = true;
      ++i;
    }
  }
  if (in_word) r.words.push_back(std::move(cur));
  return r;
}

std::string shell_quote(std::string_view w) {
  if (w.empty()) return "''";
  bool safe = true;
  for (char c : w) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.' || c == '/' || c == ':' || c == '=' || c == '+' || c == ',' || c == '@' || c == '%';
    if (!ok) {
      safe = false;
      break;
    }
  }
  if (safe) return std::string(w);
  std::string out = "'";
  for (char c : w) {
    if (c == '\'')
      out += "'\\''";
    else
      out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string shell_join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    out += shell_quote(w);
  }
  return out;
}

}  // namespace pp
