#include "client/stack_lines.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "client/run_output.hpp"
#include "core/system_lines.hpp"
#include "core/timestamp.hpp"

namespace pp::client {

namespace json = boost::json;

namespace {

// Cyan, yellow, green, magenta, blue, bright red, then again (foreman's order).
constexpr const char* kColours[] = {"\033[36m", "\033[33m", "\033[32m", "\033[35m", "\033[34m", "\033[91m"};
constexpr const char* kReset = "\033[0m";

std::string text_of(const json::object& e, const char* key) {
  auto* v = e.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}
std::optional<std::int64_t> int_of(const json::object& e, const char* key) {
  auto* v = e.if_contains(key);
  if (v && v->is_int64()) return v->as_int64();
  return std::nullopt;
}

}  // namespace

StackLines::StackLines(std::vector<std::string> names, bool color) : names_(std::move(names)), color_(color) {
  for (const auto& n : names_) width_ = std::max(width_, n.size());
}

std::string StackLines::prefix(const std::string& name) const {
  std::string padded = name;
  if (padded.size() < width_) padded.append(width_ - padded.size(), ' ');
  padded += " | ";
  if (!color_) return padded;
  auto it = std::find(names_.begin(), names_.end(), name);
  std::size_t i = it == names_.end() ? 0 : static_cast<std::size_t>(it - names_.begin());
  return kColours[i % std::size(kColours)] + padded + kReset;
}

std::optional<std::string> StackLines::output(const std::string& name, std::string_view logged) const {
  std::string_view text = logged;
  if (parse_line_stamp(logged) && logged.size() > kStampLen) text.remove_prefix(kStampLen + 1);
  if (parse_system_text(text)) return std::nullopt;
  return prefix(name) + std::string(unescape_output(text));
}

std::string StackLines::note(const std::string& name, std::string_view text) const {
  std::string line = name.empty() ? std::string(width_, ' ') + "   " : prefix(name);
  if (color_) return line + "\033[2m" + std::string(text) + kReset;
  return line + std::string(text);
}

std::optional<std::string> StackLines::lifecycle(const std::string& name, const json::object& e) const {
  std::string event = text_of(e, "event");
  auto pid = int_of(e, "pid").value_or(0);
  std::string text;
  if (event == "started") {
    text = "started (PID " + std::to_string(pid) + ")";
  } else if (event == "ready") {
    auto ms = int_of(e, "ready_ms");
    text = ms ? "ready after " + std::to_string(*ms) + " ms" : "ready";
  } else if (event == "exited") {
    auto code = int_of(e, "exit_code");
    text = text_of(e, "status") == "terminated" ? "stopped" : code ? describe_exit(static_cast<int>(*code)) : "exited";
    if (auto* in = e.if_contains("next_restart_in_s"); in && in->is_number())
    {
      char buf[64];
      std::snprintf(buf, sizeof buf, "; its restart policy restarts it in %g s", in->to_number<double>());
      text += buf;
    }
  } else if (event == "restarted") {
    text = std::string(text_of(e, "reason") == "policy" ? "restarted by its restart policy" : "restarted") +
           " (PID " + std::to_string(pid) + ")";
  } else if (event == "restart_failed") {
    text = "not restarted: " + text_of(e, "error");
  } else {
    return std::nullopt;
  }
  return note(name, text);
}

bool colour_stdout() {
  const char* no = std::getenv("NO_COLOR");
  return ::isatty(1) && !(no && *no);
}

}  // namespace pp::client
