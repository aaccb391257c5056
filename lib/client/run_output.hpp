// What `run` writes (docs/cli.md#run): on stdout the process's output, either the
// combined log's lines as the program wrote them (stamp, [SYSTEM] lines and the
// escaping backslash removed; with --raw, as logged) or, for a process on a PTY
// shown in a terminal, its `.tty` log's bytes as they came, colours and all; on
// stderr its own notices, "persistproc: <text>". While a question is asked what
// is shown is held, and printed once it is answered.
#pragma once
#include <string>
#include <string_view>

namespace pp::client {

// "persistproc: <text>\n" on stderr.
void note(std::string_view text);

// "exited with code C" or "was terminated by signal S" (a negative code).
std::string describe_exit(int code);

class RunOutput {
 public:
  explicit RunOutput(bool raw) : raw_(raw) {}

  // One line of the combined log, without its '\n'.
  void line(std::string_view logged);
  // Bytes of a terminal stream, as they are.
  void bytes(std::string_view data);
  // note(), on a line of its own: after bytes that did not end a line, a new one
  // is started first.
  void say(std::string_view text);
  // `text` on stderr as it is (a question, its answer).
  void ask(std::string_view text);
  // Our terminal does no output processing: lines of our own end in "\r\n".
  void set_crlf(bool on) { crlf_ = on; }
  // Holds output from now on, until release().
  void hold() { holding_ = true; }
  // Prints what was held and stops holding.
  void release();

 private:
  void show(std::string_view text);

  bool raw_;
  bool mid_line_ = false;
  bool crlf_ = false;
  bool holding_ = false;
  std::string held_;
};

}  // namespace pp::client
