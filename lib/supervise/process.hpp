// What the process table, its listings and the tools see of a process, whichever
// kind it is: one this server runs (Instance) or one an earlier server left behind
// when it died (LeftOver). Its facts, its three logs, and what can be awaited of it.
// Stopping and restarting are the Instance's alone: a left-over is never signalled.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/log_paths.hpp"
#include "core/timestamp.hpp"
#include "supervise/log_reader.hpp"
#include "supervise/restart_policy.hpp"
#include "supervise/spawn.hpp"

namespace pp {

enum class Status { running, exited, terminated, failed };

inline const char* to_string(Status s) {
  switch (s) {
    case Status::running: return "running";
    case Status::exited: return "exited";
    case Status::terminated: return "terminated";
    case Status::failed: return "failed";
  }
  return "unknown";
}

struct ProcessSpec {
  std::vector<std::string> command;
  std::string cwd;
  EnvOverlay env;
  std::string label;
  bool tty = false;  // on a pseudo-terminal (SpawnRequest); kept by restarts
  unsigned short columns = 200, rows = 50;
  RestartPolicy restart = {};  // kept by restarts, on request or by the policy
};

class Process {
 public:
  virtual ~Process() = default;

  virtual int pid() const = 0;
  virtual const ProcessSpec& spec() const = 0;
  virtual Status status() const = 0;
  bool running() const { return status() == Status::running; }
  virtual Millis start_time() const = 0;
  // Field 22 of /proc/<pid>/stat at its start: tells it from a later process that
  // got the same pid (0 when it could not be read).
  virtual std::uint64_t start_ticks() const = 0;
  virtual std::optional<Millis> end_time() const = 0;
  virtual std::optional<int> exit_code() const = 0;
  // How many restarts led to it (0 for a fresh start).
  virtual int restarts() const = 0;
  // What became of a left-over; for an instance of this server, empty unless an
  // error in the server stopped part of its supervision.
  virtual const std::string& note() const = 0;
  // When its restart policy starts it again (wall clock), while that wait lasts;
  // nullopt otherwise. Such an entry has ended but still counts as supervised.
  virtual std::optional<Millis> restart_due() const { return std::nullopt; }
  // Its leader runs, or has left live processes behind (its group, descendants,
  // its cgroup); never true of a left-over, whose group (if any) is not known to
  // be the one it had.
  virtual bool group_alive() const = 0;

  virtual const LogPaths& logs() const = 0;
  // Opens one of its logs for reading (LogRange::open), with a copy of the writer's
  // index while there is one: a snapshot a worker thread can read (read_range).
  virtual std::string open_log(Stream s, LogRange& range) const = 0;
  // Reads one of its logs here and now, without a limit: for reads known to be
  // small (the last lines of a log this server writes).
  ReadResult read(Stream s, const ReadQuery& q) const {
    LogRange range;
    ReadResult r;
    if ((r.error = open_log(s, range)).empty()) {
      ReadBudget unlimited;
      r = read_range(range, q, unlimited);
    }
    return r;
  }

  // Set once its exit is recorded and its exit line written.
  virtual Event& exited() = 0;
  // Notified after every batch of lines written to its logs, at its exit, and
  // when its note changes.
  virtual Pulse& appended() = 0;
};

}  // namespace pp
