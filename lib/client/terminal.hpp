// The terminal while `run` asks a question: raw mode for one key, always restored.
#pragma once
#include <termios.h>

namespace pp::client {

bool is_terminal(int fd);

// Puts `fd` in raw mode (no line buffering, no echo, Ctrl+C as a byte) until
// restore() or destruction; restore() also puts back the file status flags
// (waiting on the descriptor with Asio makes it non-blocking, and the shell
// that started us shares it).
class RawMode {
 public:
  explicit RawMode(int fd);
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
