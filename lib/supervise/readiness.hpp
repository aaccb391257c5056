// When a process counts as ready (docs/stacks.md#readiness): a line of its output
// that matches a pattern, or a probe (a command that exits 0, or an HTTP GET that
// answers 2xx/3xx) run on its own period. Values only; an Instance acts on them.
#pragma once
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/pattern.hpp"

namespace pp {

struct ExecCheck {
  std::vector<std::string> argv;  // spawned as given (a shell form is {sh, -c, text})
  std::string cwd;                // absolute
};

struct HttpCheck {
  std::string host = "127.0.0.1";
  int port = 0;  // 1..65535
  std::string path = "/";
};

// process-compose's (and Kubernetes') names; the times in milliseconds so tests
// can run short ones.
struct ReadinessProbe {
  std::optional<ExecCheck> exec;  // exactly one of exec and http_get is set
  std::optional<HttpCheck> http_get;
  std::chrono::milliseconds initial_delay{0};
  std::chrono::milliseconds period{10000};
  std::chrono::milliseconds timeout{1000};  // one check longer than this failed
  int failure_threshold = 3;                // kept for the file's sake; see docs/stacks.md#readiness
};

struct Readiness {
  std::shared_ptr<const Pattern> log_line;  // null when unset
  std::optional<ReadinessProbe> probe;      // at most one of log_line and probe is set
  bool configured() const { return log_line != nullptr || probe.has_value(); }
};

// A process that belongs to a stack (docs/stacks.md): its stack, its name in the
// file, and what it depends on. Empty `stack`: a process started on its own.
struct StackMember {
  struct Dependency {
    std::string name;
    std::string condition;  // "process_started", "process_ready", "process_completed", "process_completed_successfully"
  };
  std::string stack;
  std::string name;
  std::vector<Dependency> depends_on;
};

}  // namespace pp
