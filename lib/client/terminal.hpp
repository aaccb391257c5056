// The user's terminal as `run` uses it (docs/cli.md#run-terminal): whether there
// is one, its size, and raw mode while keys go to the process or a question is
// asked, always restored.
#pragma once
#include <termios.h>

#include <optional>

namespace pp::client {

bool is_terminal(int fd);

// `fd` is a terminal and we are its foreground job: a background job that read it
// would be stopped (SIGTTIN), and one that set its mode would be stopped too (SIGTTOU).
bool is_foreground_terminal(int fd);

struct WindowSize {
  int columns = 0;
  int rows = 0;
};
// The window size of the terminal `fd`; none when it is not a terminal or reports 0×0.
std::optional<WindowSize> window_size(int fd);

// Puts `fd` in raw mode until restore() or destruction: every key is a byte
// (Ctrl+C as 0x03, Enter as '\r'), no echo, no line editing, no flow control. With
// `output` also no output processing, for passing on another terminal's bytes as
// they are ('\n' then only moves down: lines of our own end in "\r\n"). restore()
// also puts back the file status flags, which the shell that started us shares.
class RawMode {
 public:
  explicit RawMode(int fd, bool output = false);
  ~RawMode() { restore(); }
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;
  void restore();
  bool active() const { return active_; }

 private:
  int fd_;
  termios saved_{};
  int saved_flags_ = -1;
  bool active_ = false;
};

}  // namespace pp::client
