#include "core/terminal_text.hpp"

namespace pp {

namespace {
constexpr char kEsc = '\x1b', kBel = '\x07';
constexpr std::size_t kMaxParams = 8;
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

void TerminalText::end_line(std::string& out) {
  out += line_;
  out += '\n';
  line_.clear();
  restart_line_ = false;
  redrawn_ = false;
}

void TerminalText::put(char c, std::string& out) {
  if (restart_line_) {
    line_.clear();
    restart_line_ = false;
  }
  line_ += c;
  if (line_.size() < kMaxLine) return;
  // Cut before a lead byte, so a UTF-8 character stays whole; invalid input (a run
  // of continuation bytes) is cut a few bytes later all the same.
  if (!is_continuation(c)) {
    line_.pop_back();
    end_line(out);
    line_ += c;
  } else if (line_.size() >= kMaxLine + 4) {
    end_line(out);
  }
}

void TerminalText::control(char c, std::string& out) {
  switch (c) {
    case '\n': end_line(out); break;
    case '\r':
      restart_line_ = true;
      redrawn_ = true;
      break;
    case '\b':
      if (restart_line_) break;  // at the start of the line: nothing to the left
      while (!line_.empty() && is_continuation(line_.back())) line_.pop_back();
      if (!line_.empty()) line_.pop_back();
      break;
    case '\t': put(c, out); break;
    default: break;  // BEL, SO/SI and the rest draw nothing
  }
}

void TerminalText::csi_final(char c) {
  if (c == 'K' && csi_params_ == "2") {  // erase the whole line
    line_.clear();
    restart_line_ = false;
  }
}

void TerminalText::put_run(std::string_view run, std::string& out) {
  if (line_.size() + run.size() >= kMaxLine) {  // near the cut: one at a time, as put() cuts
    for (char c : run) put(c, out);
    return;
  }
  if (restart_line_) {
    line_.clear();
    restart_line_ = false;
  }
  line_.append(run);
}

void TerminalText::feed(std::string_view bytes, std::string& out) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    auto u = static_cast<unsigned char>(c);
    switch (state_) {
      case State::text:
        if (u >= 0x20 && u != 0x7f) {
          // Most output is plain text: take the run up to the next control byte at once.
          std::size_t end = i + 1;
          while (end < bytes.size() && static_cast<unsigned char>(bytes[end]) >= 0x20 && bytes[end] != 0x7f) ++end;
          put_run(bytes.substr(i, end - i), out);
          i = end - 1;
        } else if (c == kEsc)
          state_ = State::esc;
        else
          control(c, out);
        break;
      case State::esc:
        if (c == '[') {
          csi_params_.clear();
          state_ = State::csi;
        } else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
          state_ = State::string;
        } else if (u >= 0x20 && u <= 0x2f) {
          state_ = State::esc_intermediate;
        } else if (c == kEsc) {
          // ESC ESC: the first one is lost, the second starts a sequence
        } else if (u < 0x20) {
          control(c, out);  // a control inside a sequence still acts (a newline ends the line)
        } else {
          state_ = State::text;  // a two-byte sequence (ESC 7, ESC =, ...) or a lone ESC before text
        }
        break;
      case State::esc_intermediate:
      case State::csi:
        if (c == kEsc) {
          state_ = State::esc;
        } else if (u < 0x20) {
          control(c, out);
        } else if (u >= 0x40 && u <= 0x7e && (state_ == State::csi || u >= 0x30)) {
          if (state_ == State::csi) csi_final(c);
          state_ = State::text;
        } else if (u >= 0x30 && state_ == State::esc_intermediate) {
          state_ = State::text;  // the final byte of ESC ( B and the like
        } else if (state_ == State::csi && csi_params_.size() < kMaxParams) {
          csi_params_ += c;
        } else if (u >= 0x80) {
          state_ = State::text;  // not a sequence after all: keep the text
          put(c, out);
        }
        break;
      case State::string:
        if (c == kBel) {
          state_ = State::text;
        } else if (c == kEsc) {
          state_ = State::string_esc;
        } else if (c == '\n') {
          // Unterminated: give up on it, so a broken sequence cannot swallow the log.
          state_ = State::text;
          control(c, out);
        }
        break;
      case State::string_esc:
        // ESC \ ends it; ESC and anything else ends it too and starts a new sequence.
        state_ = State::esc;
        if (c == '\\') state_ = State::text;
        else feed({&c, 1}, out);
        break;
    }
  }
}

void TerminalText::flush(std::string& out) {
  if (!line_.empty()) end_line(out);
}

}  // namespace pp
