#include "client/run_output.hpp"

#include "core/posix_io.hpp"
#include "core/system_lines.hpp"
#include "core/timestamp.hpp"

namespace pp::client {

// Writes fail only when stdout or stderr is gone: nothing sensible to do but carry on.
void note(std::string_view text) {
  std::string s = "persistproc: ";
  s.append(text);
  s.push_back('\n');
  write_all(2, s);
}

std::string describe_exit(int code) {
  return code < 0 ? "was terminated by signal " + std::to_string(-code) : "exited with code " + std::to_string(code);
}

void RunOutput::line(std::string_view logged) {
  if (raw_) return show(logged);
  std::string_view text = logged;
  if (parse_line_stamp(logged) && logged.size() > kStampLen) text.remove_prefix(kStampLen + 1);
  if (!parse_system_text(text)) show(unescape_output(text));
}

void RunOutput::show(std::string_view text) {
  std::string s(text);
  if (crlf_) s.push_back('\r');
  s.push_back('\n');
  bytes(s);
}

void RunOutput::bytes(std::string_view data) {
  if (data.empty()) return;
  if (holding_) {
    held_.append(data);
    return;
  }
  write_all(1, data);
  mid_line_ = data.back() != '\n';
}

void RunOutput::release() {
  holding_ = false;
  bytes(held_);
  held_.clear();
}

void RunOutput::say(std::string_view text) {
  std::string s = mid_line_ ? "\n" : "";
  mid_line_ = false;
  s.append("persistproc: ");
  s.append(text);
  s.push_back('\n');
  ask(s);
}

void RunOutput::ask(std::string_view text) {
  if (!crlf_) {
    write_all(2, text);
    return;
  }
  std::string s;
  for (char c : text) {
    if (c == '\n') s.push_back('\r');
    s.push_back(c);
  }
  write_all(2, s);
}

}  // namespace pp::client
