// What `run` writes (docs/cli.md#run): the combined log's lines on stdout, as the
// program wrote them (stamp, [SYSTEM] lines and the escaping backslash removed) or,
// with --raw, as logged; and its own notices on stderr, "persistproc: <text>".
// While a question is asked the lines are held, and printed once it is answered.
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
  // Holds lines from now on, until release().
  void hold() { holding_ = true; }
  // Prints what was held and stops holding.
  void release();

 private:
  void show(std::string_view text);

  bool raw_;
  bool holding_ = false;
  std::string held_;
};

}  // namespace pp::client
