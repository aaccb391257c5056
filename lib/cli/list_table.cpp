#include "cli/list_table.hpp"

#include <signal.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <vector>

#include "client/terminal.hpp"
#include "core/env.hpp"

namespace pp::cli {

namespace json = boost::json;

namespace {

constexpr const char* kEllipsis = "\u2026";
constexpr int kMinName = 8;  // NAME never narrower, even on a narrow screen

std::string str(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}
std::optional<long long> num(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<long long>();
}

// Columns as a terminal shows them: UTF-8 continuation bytes take none.
std::size_t columns_of(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// At most `width` columns of `s`, the last one an ellipsis when cut.
std::string fit(const std::string& s, std::size_t width) {
  if (columns_of(s) <= width) return s;
  if (width == 0) return "";
  std::size_t cols = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((s[i] & 0xC0) == 0x80) continue;
    if (cols == width - 1) break;
    ++cols;
  }
  return s.substr(0, i) + kEllipsis;
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

enum class Tone { plain, good, bad };

struct Row {
  std::array<std::string, 7> cells;  // PID NAME STATUS UPTIME PORTS MEM RESTARTS
  Tone tone = Tone::plain;
};

std::string status_cell(const json::object& p, Tone& tone) {
  std::string status = str(p, "status");
  auto code = num(p, "exit_code");
  tone = status == "running" ? Tone::good : Tone::plain;
  if (status == "failed" || (status == "exited" && code.value_or(0) != 0)) tone = Tone::bad;
  if (!code) return status;
  return status + " (" + (*code < 0 ? signal_name(static_cast<int>(-*code)) : std::to_string(*code)) + ")";
}

std::string time_cell(const json::object& p, Millis now) {
  if (auto up = num(p, "uptime_s")) return short_duration(*up);
  if (auto end = parse_iso(str(p, "end_time"))) return short_duration(std::max<Millis>(0, now - *end) / 1000) + " ago";
  return "-";
}

std::string ports_cell(const json::object& p) {
  std::string out;
  if (auto* ports = p.if_contains("ports"); ports && ports->is_array())
    for (const auto& port : ports->as_array())
      if (port.is_int64()) out += (out.empty() ? "" : ",") + std::to_string(port.as_int64());
  return out.empty() ? "-" : out;
}

std::string memory_cell(const json::object& p) {
  auto rss = num(p, "rss_bytes");
  if (!rss) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fM", static_cast<double>(*rss) / (1024.0 * 1024.0));
  return buf;
}

Row row_of(const json::object& p, Millis now) {
  Row r;
  r.cells = {std::to_string(num(p, "pid").value_or(0)),
             str(p, "label"),
             status_cell(p, r.tone),
             time_cell(p, now),
             ports_cell(p),
             memory_cell(p),
             std::to_string(num(p, "restarts").value_or(0))};
  return r;
}

const char* tone_start(Tone t) { return t == Tone::good ? "\x1b[32m" : t == Tone::bad ? "\x1b[31m" : ""; }

}  // namespace

std::string short_duration(long long s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%llds", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  else if (s < 86400)
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, s % 3600 / 60);
  else
    std::snprintf(buf, sizeof buf, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
  return buf;
}

std::string format_list_table(const json::object& r, const TableStyle& style) {
  auto* procs = r.if_contains("processes");
  if (!procs || !procs->is_array() || procs->as_array().empty()) return "No processes running\n";
  std::vector<Row> rows;
  rows.push_back({{"PID", "NAME", "STATUS", "UPTIME", "PORTS", "MEM", "RESTARTS"}, Tone::plain});
  for (const auto& v : procs->as_array())
    if (v.is_object()) rows.push_back(row_of(v.as_object(), style.now));
  std::array<std::size_t, 7> width{};
  for (const Row& row : rows)
    for (std::size_t c = 0; c < width.size(); ++c) width[c] = std::max(width[c], columns_of(row.cells[c]));
  // NAME gets what the others and the two-space gaps leave, and no more than it needs.
  std::size_t others = 2 * (width.size() - 1);
  for (std::size_t c = 0; c < width.size(); ++c)
    if (c != 1) others += width[c];
  std::size_t room = style.width > 0 && static_cast<std::size_t>(style.width) > others
                         ? static_cast<std::size_t>(style.width) - others
                         : 0;
  width[1] = std::min(width[1], std::max<std::size_t>(room, kMinName));
  std::string out;
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < width.size(); ++c) {
      std::string cell = c == 1 ? fit(row.cells[c], width[c]) : row.cells[c];
      std::string pad(width[c] - columns_of(cell), ' ');
      bool numeric = c == 0 || c == 6;  // right-aligned
      bool last = c + 1 == width.size();
      if (c == 2 && style.colour && row.tone != Tone::plain) cell = tone_start(row.tone) + cell + "\x1b[0m";
      line += numeric ? pad + cell : last ? cell : cell + pad;
      if (!last) line += "  ";
    }
    out += line + "\n";
  }
  return out;
}

TableStyle table_style_for_stdout() {
  TableStyle s;
  s.now = now_ms();
  bool terminal = client::is_terminal(1);
  if (auto cols = env::get_nonempty(env::Var::columns);
      cols && cols->size() <= 5 && cols->find_first_not_of("0123456789") == std::string::npos && std::stoi(*cols) > 0)
    s.width = std::stoi(*cols);
  else if (auto size = terminal ? client::window_size(1) : std::nullopt)
    s.width = size->columns;
  s.colour = terminal && !env::get_nonempty(env::Var::no_color);
  return s;
}

}  // namespace pp::cli
