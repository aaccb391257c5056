#include "cli/format_text.hpp"

#include <cstdio>

#include "core/shell_words.hpp"

namespace pp::cli {

namespace json = boost::json;

namespace {
std::string str(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}
std::string num(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_number() ? std::to_string(v->to_number<long long>()) : "";
}
}  // namespace

std::string format_ctrl(const json::object& r) {
  std::string action = str(r, "action");
  std::string out;
  if (action == "stop") {
    out = "Stopped process with PID: " + num(r, "pid");
    if (std::string c = num(r, "exit_code"); !c.empty()) out += " (exit code " + c + ")";
    return out + "\n";
  }
  if (action == "input") {
    out = "Sent to process with PID: " + num(r, "pid") + "\n";
    if (r.contains("matched_line") && !r.at("matched_line").is_null())
      out += "After " + num(r, "ready_ms") + " ms: " + str(r, "matched_line") + "\n";
    return out;
  }
  if (action == "restart") {
    out = "Restarted process, new PID: " + num(r, "pid");
    if (std::string c = num(r, "previous_exit_code"); !c.empty()) out += " (previous instance exit code " + c + ")";
    out += "\n";
  } else {
    out = "Started process with PID: " + num(r, "pid") + "\n";
  }
  out += "Label: " + str(r, "label") + "\n";
  out += str(r, "log_stdout") + "\n";
  out += str(r, "log_stderr") + "\n";
  out += str(r, "log_combined") + "\n";
  if (r.contains("matched_line") && !r.at("matched_line").is_null())
    out += "Ready after " + num(r, "ready_ms") + " ms: " + str(r, "matched_line") + "\n";
  return out;
}

static std::string mebibytes(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024.0));
  return buf;
}

std::string format_list(const json::object& r) {
  auto* procs = r.if_contains("processes");
  if (!procs || !procs->is_array() || procs->as_array().empty()) return "No processes running\n";
  std::string out;
  bool first = true;
  for (const auto& v : procs->as_array()) {
    if (!v.is_object()) continue;
    const auto& p = v.as_object();
    if (!first) out += "\n";
    first = false;
    std::string status = str(p, "status");
    out += "PID " + num(p, "pid") + ": " + str(p, "label") + " (" + status + ")\n";
    std::vector<std::string> cmd;
    if (auto* c = p.if_contains("command"); c && c->is_array())
      for (const auto& a : c->as_array())
        if (a.is_string()) cmd.emplace_back(a.as_string());
    out += "  Command: " + shell_join(cmd) + "\n";
    out += "  Working directory: " + str(p, "working_directory") + "\n";
    if (std::string code = num(p, "exit_code"); !code.empty()) out += "  Exit code: " + code + "\n";
    if (std::string note = str(p, "note"); !note.empty()) out += "  Note: " + note + "\n";
    if (std::string policy = str(p, "restart"); !policy.empty() && policy != "no") {
      out += "  Restart policy: " + policy;
      if (auto* in = p.if_contains("next_restart_in_s"); in && in->is_number()) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "; restarting in %.1f s", in->to_number<double>());
        out += buf;
      }
      out += "\n";
    }
    if (std::string n = num(p, "restarts"); !n.empty() && n != "0") out += "  Restarts: " + n + "\n";
    if (auto* ports = p.if_contains("ports"); ports && ports->is_array() && !ports->as_array().empty()) {
      std::string list;
      for (const auto& port : ports->as_array())
        if (port.is_int64()) list += (list.empty() ? "" : ", ") + std::to_string(port.as_int64());
      out += "  Ports: " + list + "\n";
    }
    if (auto* rss = p.if_contains("rss_bytes"); rss && rss->is_number())
      out += "  Memory: " + mebibytes(rss->to_number<double>()) + "\n";
  }
  return out;
}

std::string format_output(const json::object& r) {
  std::string out;
  if (auto* lines = r.if_contains("output"); lines && lines->is_array())
    for (const auto& l : lines->as_array())
      if (l.is_string()) out += l.as_string();
  return out;
}

}  // namespace pp::cli
