// A program running in a real pseudo-terminal, for testing `run` the way people
// use it: keys (including Ctrl+C, the 0x03 byte) go in through the terminal.
#pragma once
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace pp::test {

class PtyProcess {
 public:
  PtyProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
             const std::string& cwd = "");
  ~PtyProcess();

  void send(const std::string& bytes);
  // Sets the terminal's window size (120 × 24 at the start); its foreground job gets SIGWINCH.
  void resize(int columns, int rows);
  // The terminal's local modes (termios c_lflag) as its programs set them: ICANON, ECHO, ISIG...
  unsigned local_modes() const;
  // Reads until everything seen since `from` contains `needle`; false at the bound or end of output.
  bool await_output(const std::string& needle, std::size_t from = 0,
                    std::chrono::milliseconds bound = std::chrono::seconds(20));
  // Reads to the end of output and reaps; the exit code, -signal, or -1000 at the bound.
  int wait_exit(std::chrono::milliseconds bound = std::chrono::seconds(30));
  const std::string& transcript() const { return transcript_; }
  int pid() const { return pid_; }

 private:
  bool read_some(std::chrono::steady_clock::time_point deadline);
  int pid_ = -1;
  int master_ = -1;
  bool eof_ = false;
  std::string transcript_;
};

}  // namespace pp::test
