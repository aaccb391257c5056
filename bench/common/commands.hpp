// Processes the benchmarks drive: a command run to completion and timed (a CLI
// call, `tail`, `grep`), and a long-lived child talked to over pipes (pm2's agent,
// the SDK server, a flood child writing into a file).
#pragma once
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace pp::bench {

using Env = std::map<std::string, std::string>;

struct Ran {
  int code = -1;  // -signal when killed by one
  std::string out, err;
  double ms = 0;  // spawn to reaped
};

// A whole command's run: what a user waits for, so it is the figure of a CLI row.
// Throws if it has not ended within the bound.
Ran run_cmd(const std::vector<std::string>& argv, const Env& env = {},
            std::chrono::seconds bound = std::chrono::seconds(300));

// r, if it exited 0; else throws with its output.
Ran must(Ran r, const std::string& what);

// A long-lived child: stdin and stdout on pipes to us, or stdout into a file.
// SIGTERM at the end (SIGKILL if that is not enough), and reaped.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const Env& env, const std::string& stdout_file = "");
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  int pid() const { return pid_; }

  void write_line(const std::string& line);
  // The next line of its stdout (without the newline); throws at the bound or the end.
  std::string read_line(std::chrono::milliseconds bound = std::chrono::seconds(60));
  // Waits (pidfd) for the child's exit and reaps it; its exit code, or -1000 at the bound.
  int wait(std::chrono::milliseconds bound);

 private:
  int pid_ = -1, in_ = -1, out_ = -1;
  std::string buf_;
};

}  // namespace pp::bench
