// The four-process stack, and each tool that brings it up and down. One Tool
// object serves one round in a directory of its own: it writes its configuration
// there, starts the stack, says where the lines land and which processes are the
// supervisor's, and stops it the way its users do.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stacks/output_watch.hpp"
#include "common/procs.hpp"

namespace pp::bench {

// db, api, web, worker; api starts once db has printed its ready line.
struct Stack {
  static constexpr const char* kNames[] = {"db", "api", "web", "worker"};
  static constexpr const char* kDependency = "db";  // whose ready line...
  static constexpr const char* kDependent = "api";  // ...this one waits for

  std::string ticker;      // pp_bench_ticker
  std::string await_line;  // await_line.sh, for the peers that cannot wait for a line
  std::string dir;         // this round's directory: configurations, pid and count files
  long period_us;          // each process writes a line this often

  static std::string ready_line(const std::string& name) { return "ready:" + name; }
  static std::string seq_prefix(const std::string& name) { return "seq:" + name + ":"; }
  // The command that runs process `name`.
  std::string command(const std::string& name) const;
  // The same, started once `file` holds the dependency's ready line (through await_line.sh).
  // Neither holds a ready line or a numbered line's prefix, so an echo of it counts as neither.
  std::string command_after(const std::string& name, const std::string& file) const;
};

class Tool {
 public:
  explicit Tool(Stack s) : stack(std::move(s)) {}
  virtual ~Tool() = default;
  Tool(const Tool&) = delete;
  Tool& operator=(const Tool&) = delete;

  virtual std::string name() const = 0;
  // Where its processes' lines land.
  virtual std::vector<Output> outputs() const = 0;
  // Runs the command that brings the stack up (the configuration is written by
  // then); its pidfd. For persistproc it ends once every process is ready; for the
  // peers it is the supervisor itself, and its end is a failure.
  virtual const PidFd& up() = 0;
  virtual bool up_returns_when_ready() const { return false; }
  // The root of the supervisor's own processes (for their RSS).
  virtual int supervisor() const = 0;
  // Starts stopping the stack as its users do; the pidfd whose end says the stop is done.
  virtual const PidFd& stop() = 0;
  // After the stop: ends what is left of the tool (supervisord itself; persistproc's server).
  virtual void finish() {}
  // A short account of how the tool expresses the dependency, for the report.
  virtual std::string dependency() const = 0;

  const Stack stack;
  // The exit codes of the up and stop commands, once reaped.
  std::optional<int> up_code, stop_code;
  // Reaps the command behind a pidfd that fired, when it is ours; its code.
  virtual void reap_up() = 0;
  virtual void reap_stop() = 0;
};

// npm: the directory with node_modules (Node 22, foreman, concurrently).
std::unique_ptr<Tool> make_persistproc(Stack s);
std::unique_ptr<Tool> make_foreman(Stack s, const std::string& npm);
std::unique_ptr<Tool> make_concurrently(Stack s, const std::string& npm);
std::unique_ptr<Tool> make_supervisord(Stack s);

}  // namespace pp::bench
