#include "stack/dotenv.hpp"

#include <cctype>

#include "stack/stack_error.hpp"

namespace pp::stack {

bool valid_env_name(std::string_view name) {
  return !name.empty() && name.find('=') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// A shell-like name, so that a line means the same to every dotenv reader.
bool dotenv_name(std::string_view k) {
  if (k.empty() || std::isdigit(static_cast<unsigned char>(k[0]))) return false;
  for (char c : k)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  return true;
}

// What may follow a closing quote: nothing, or a comment.
bool only_comment(std::string_view rest) {
  rest = trim(rest);
  return rest.empty() || rest.front() == '#';
}

struct LineParser {
  const std::filesystem::path& file;
  int line;

  [[noreturn]] void fail(const std::string& message) const { fail_at(file, line, message); }

  std::string value(std::string_view v) const {
    v = trim(v);
    if (v.empty()) return {};
    if (v.front() == '\'') {
      auto close = v.find('\'', 1);
      if (close == std::string_view::npos) fail("unterminated ' quote (a value is one line)");
      if (!only_comment(v.substr(close + 1))) fail("unexpected text after the closing ' quote");
      return std::string(v.substr(1, close - 1));
    }
    if (v.front() == '"') {
      std::string out;
      for (std::size_t i = 1; i < v.size(); ++i) {
        char c = v[i];
        if (c == '"') {
          if (!only_comment(v.substr(i + 1))) fail("unexpected text after the closing \" quote");
          return out;
        }
        if (c == '\\' && i + 1 < v.size()) {
          char e = v[++i];
          switch (e) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case '"': case '\\': case '$': out += e; break;
            default: out += '\\'; out += e;  // not an escape: kept as written
          }
          continue;
        }
        out += c;
      }
      fail("unterminated \" quote (a value is one line)");
    }
    // Bare: a comment starts at a '#' after a blank.
    for (std::size_t i = 1; i < v.size(); ++i)
      if (v[i] == '#' && is_blank(v[i - 1])) return std::string(trim(v.substr(0, i)));
    return std::string(v);
  }
};

}  // namespace

EnvMap parse_dotenv(std::string_view text, const std::filesystem::path& file) {
  EnvMap env;
  int n = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++n;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view s = trim(raw);
    if (s.empty() || s.front() == '#') continue;
    if (s.starts_with("export") && s.size() > 6 && is_blank(s[6])) s = trim(s.substr(6));
    LineParser p{file, n};
    auto eq = s.find('=');
    if (eq == std::string_view::npos) p.fail("expected KEY=VALUE, not '" + std::string(s) + "'");
    std::string_view key = trim(s.substr(0, eq));
    if (!dotenv_name(key)) p.fail("'" + std::string(key) + "' is not a variable name (letters, digits, '_', '.')");
    env[std::string(key)] = p.value(s.substr(eq + 1));
  }
  return env;
}

}  // namespace pp::stack
