// What a terminal would leave of a program's output, as plain lines for the logs
// agents read (docs/logs.md#terminal-text): escape sequences removed, carriage-return
// overwrites and backspaces applied. A small state machine, not a screen emulator
// (libvterm and the like model a whole screen: cursor addressing, scroll regions,
// alternate screens), because the logs want lines, not screens, and because it
// must be fast and linear on whatever a child writes. State carries across
// chunks, so a sequence split between two reads is still removed.
//
// The rules:
// - CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), DCS/SOS/PM/APC
//   (ESC P/X/^/_ ... ESC \) and other ESC sequences are removed; ESC [ 2 K
//   clears the line. A string sequence (OSC and the like) is never buffered, so
//   its length costs nothing, and a newline ends it even unterminated: a broken
//   one cannot swallow more than the rest of its line.
// - A carriage return starts the line over: the text after it replaces the line
//   (programs that draw progress rewrite the whole line or erase it with ESC [ K),
//   so "10%\r50%\r100%\n" is "100%". "\r\n" ends the line as it was.
// - A backspace removes the character before it; other control characters but
//   tab are dropped.
// - redrawing() tells a line being redrawn in place from a prompt, so the reader
//   does not log a progress bar's passing states as lines (docs/logs.md).
// Work is linear in the input; memory is the current line, at most kMaxLine bytes
// (a longer line is handed on in pieces).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace pp {

class TerminalText {
 public:
  static constexpr std::size_t kMaxLine = 64 * 1024;

  // Appends to `out` each line that `bytes` completes, clean and ending in '\n'.
  void feed(std::string_view bytes, std::string& out);
  // Appends the unfinished line, if it has any text, ending in '\n'.
  void flush(std::string& out);
  bool has_partial() const { return !line_.empty(); }
  // A carriage return came since the line began: the line is being redrawn in
  // place (a progress bar, a spinner), so its states so far are not worth a line.
  bool redrawing() const { return redrawn_; }

 private:
  enum class State { text, esc, esc_intermediate, csi, string, string_esc };
  void control(char c, std::string& out);
  void csi_final(char c);
  void put(char c, std::string& out);
  void put_run(std::string_view run, std::string& out);  // printable bytes, no control among them
  void end_line(std::string& out);

  State state_ = State::text;
  std::string line_;
  bool restart_line_ = false;  // a carriage return came: the next text replaces the line
  bool redrawn_ = false;       // a carriage return came since the line began
  std::string csi_params_;      // at most a few bytes: only "2" (of ESC [ 2 K) matters
};

}  // namespace pp
