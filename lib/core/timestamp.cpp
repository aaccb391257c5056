#include "core/timestamp.hpp"

#include <cstdio>
#include <ctime>

namespace pp {

Millis now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

std::string format_iso_ms(Millis t) {
  Millis secs = t >= 0 ? t / 1000 : (t - 999) / 1000;
  int ms = static_cast<int>(t - secs * 1000);
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

namespace {

struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  bool peek(char c) const { return i < s.size() && s[i] == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++i;
    return true;
  }
  // Exactly n digits.
  bool digits(int n, int& out) {
    if (i + static_cast<std::size_t>(n) > s.size()) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      char c = s[i + static_cast<std::size_t>(k)];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i += static_cast<std::size_t>(n);
    out = v;
    return true;
  }
};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<Millis> parse_iso(std::string_view text) {
  Cursor c{text};
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!c.digits(4, y) || !c.eat('-') || !c.digits(2, mo) || !c.eat('-') || !c.digits(2, d)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
  if (c.eat('T') || c.eat('t') || c.eat(' ')) {
    if (!c.digits(2, h) || !c.eat(':') || !c.digits(2, mi)) return std::nullopt;
    if (c.eat(':')) {
      if (!c.digits(2, sec)) return std::nullopt;
      if (c.eat('.') || c.eat(',')) {
        int scale = 100, ndig = 0;
        while (!c.done() && c.s[c.i] >= '0' && c.s[c.i] <= '9') {
          ms += (c.s[c.i] - '0') * scale;
          scale /= 10;
          ++c.i;
          ++ndig;
        }
        if (ndig == 0 || ndig > 9) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  }
  int offset_min = 0;
  if (c.eat('Z') || c.eat('z')) {
  } else if (c.peek('+') || c.peek('-')) {
    int sign = c.s[c.i] == '-' ? -1 : 1;
    ++c.i;
    int oh, om = 0;
    if (!c.digits(2, oh)) return std::nullopt;
    if (c.eat(':')) {
      if (!c.digits(2, om)) return std::nullopt;
    } else if (!c.done() && !c.digits(2, om)) {
      return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
  }
  if (!c.done()) return std::nullopt;
  std::int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
  return secs * 1000 + ms;
}

std::optional<Millis> parse_line_stamp(std::string_view line) {
  if (line.size() < kStampLen || line[kStampLen - 1] != 'Z') return std::nullopt;
  return parse_iso(line.substr(0, kStampLen));
}

}  // namespace pp
