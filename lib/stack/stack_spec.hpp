// What a stack file describes (docs/stacks.md), parsed and checked: every
// process with its command as the argv to spawn, its absolute working directory,
// its merged environment, its dependencies, readiness, restart policy and
// shutdown. Plain values: nothing here runs, waits or touches the system.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pattern.hpp"

namespace pp::stack {

enum class Format { yaml, procfile };

// When a dependent may start, relative to its dependency.
enum class Condition {
  started,                 // process_started: once it is running
  ready,                   // process_ready (process_healthy, process_log_ready): its ready_log_line or probe
  completed,               // process_completed: once it has exited, whatever the code
  completed_successfully,  // process_completed_successfully: once it has exited with code 0
};
const char* to_string(Condition c);  // the spelling the file uses, "process_started" ...
// The four spellings to_string gives; nullopt for anything else.
std::optional<Condition> parse_condition(std::string_view text);

enum class Restart { no, on_failure, always };
const char* to_string(Restart r);  // "no", "on-failure", "always": the spelling of `ctrl start`'s restart

struct Dependency {
  std::string name;
  Condition condition = Condition::started;
  int line = 0;  // where the file names it (1-based), for messages
};

struct ExecProbe {
  std::vector<std::string> argv;   // the shell form, like StackProcess::argv
  std::filesystem::path working_dir;  // absolute; the process's unless set
};

struct HttpProbe {
  std::string host = "127.0.0.1";
  int port = 0;  // 1..65535
  std::string path = "/";
};

// A readiness probe with process-compose's (and Kubernetes') names and defaults.
struct Probe {
  std::optional<ExecProbe> exec;      // exactly one of exec and http_get is set
  std::optional<HttpProbe> http_get;
  int initial_delay_seconds = 0;
  int period_seconds = 10;
  int timeout_seconds = 1;
  int failure_threshold = 3;
};

// availability: in the file. Unset numbers take the supervisor's defaults.
struct Availability {
  Restart restart = Restart::no;
  std::optional<int> max_restarts;        // 0 = unlimited
  std::optional<double> backoff_seconds;  // the first wait
};

struct Shutdown {
  std::optional<int> signal;           // a signal number; unset = SIGTERM
  std::optional<int> timeout_seconds;  // unset = the supervisor's stop grace
};

struct StackProcess {
  std::string name;                // unique in the stack; letters, digits, '.', '_', '-'
  std::string command;             // as written in the file, for display
  std::vector<std::string> argv;   // what to spawn: {shell, "-c", command}, or an entrypoint as given
  std::filesystem::path working_dir;  // absolute and lexically normal
  std::map<std::string, std::string> environment;  // merged (docs/stacks.md#environment), laid over the server's
  std::vector<Dependency> depends_on;  // in file order
  std::shared_ptr<const Pattern> ready_log_line;  // null when unset
  std::optional<Probe> readiness_probe;
  Availability availability;
  bool tty = false;
  bool disabled = false;  // described, but not brought up; nothing may depend on it
  Shutdown shutdown;
  int line = 0;  // where the file defines it (1-based)

  bool has_readiness() const { return ready_log_line != nullptr || readiness_probe.has_value(); }
};

// A key the file sets that persistproc does not act on, reported once however
// many processes set it.
struct Unsupported {
  std::string key;                     // "version", or under a process "log_location", "availability.exit_on_end"
  std::vector<std::string> processes;  // which set it, in file order; empty for a top-level key
  int line = 0;                        // where it first appears
};

struct StackSpec {
  std::string name;               // the file's directory name, unless overridden
  std::filesystem::path file;     // absolute
  Format format = Format::yaml;
  std::vector<StackProcess> processes;  // in file order, disabled ones too
  std::vector<std::string> order;       // the enabled processes, each after all it depends on
  std::vector<Unsupported> unsupported;  // in order of first appearance

  const StackProcess* find(std::string_view process_name) const;
  // One sentence per unsupported key, for the user ("ignored: log_location (in api, web)").
  std::vector<std::string> warnings() const;
};

}  // namespace pp::stack
