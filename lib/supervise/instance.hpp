// One run of a managed process: its child, the readers that turn its pipes into
// log lines, and the awaited exit. A restart is a new Instance.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/line_splitter.hpp"
#include "core/log_paths.hpp"
#include "supervise/log_file.hpp"
#include "supervise/spawn.hpp"

namespace pp {

enum class Status { running, exited, terminated, failed };
const char* to_string(Status s);

struct ProcessSpec {
  std::vector<std::string> command;
  std::string cwd;
  EnvOverlay env;
  std::string label;
};

// Sees each stdout/stderr line as it is logged (before `appended` fires); held
// weakly, so a watcher that goes away simply stops being called.
class LineWatcher {
 public:
  virtual ~LineWatcher() = default;
  virtual void on_line(std::string_view line, Millis stamp) = 0;
};

struct StopTimings {
  std::chrono::steady_clock::duration grace = std::chrono::seconds(8);
  std::chrono::steady_clock::duration kill_wait = std::chrono::seconds(2);
};

class Instance : public std::enable_shared_from_this<Instance> {
 public:
  struct Started {
    std::shared_ptr<Instance> instance;  // null on failure
    std::string error;
  };
  // Spawns the child, opens its three log files in `log_dir` and starts reading.
  // `on_exit` runs once the exit is recorded and the logs are complete.
  static Started start(const boost::asio::any_io_executor& ex, ProcessSpec spec, const std::string& log_dir,
                       std::function<void(Instance&)> on_exit);
  // An entry for a process that an earlier server started and left behind when it
  // died: not our child, never signalled through this entry (group_alive() is
  // false), status terminated, `note` says what became of it. Its old logs are
  // read by path (scanned, without a writer's index).
  static std::shared_ptr<Instance> left_over(const boost::asio::any_io_executor& ex, ProcessSpec spec, int pid,
                                             Millis start, const LogPaths& logs, std::string note);

  int pid() const { return pid_; }
  const ProcessSpec& spec() const { return spec_; }
  Status status() const { return status_; }
  bool running() const { return status_ == Status::running; }
  // The leader is running, or has left live processes in its group.
  bool group_alive() const;
  Millis start_time() const { return start_; }
  // Field 22 of /proc/<pid>/stat, read at spawn: tells this process from a later
  // one that got the same pid (0 when it could not be read).
  std::uint64_t start_ticks() const { return start_ticks_; }
  // Set on left-over entries (left_over()), else empty.
  const std::string& note() const { return note_; }
  std::optional<Millis> end_time() const { return end_; }
  std::optional<int> exit_code() const { return exit_code_; }
  const LogPaths& logs() const { return paths_; }
  const LogFile& log(Stream s) const { return files_[static_cast<int>(s)]; }
  // Caps each of the three log files (LogFile::set_max_size).
  void set_max_log_size(std::uint64_t bytes);
  Event& exited() { return exited_; }
  // Notified after every batch of lines written to the logs (and at exit).
  Pulse& appended() { return appended_; }

  void add_line_watcher(std::weak_ptr<LineWatcher> w) { watchers_.push_back(std::move(w)); }

  // How many restarts led to this instance (0 for a fresh start).
  int restarts() const { return restarts_; }
  void set_restarts(int n) { restarts_ = n; }

  // SIGTERM (or SIGKILL when `force`) to the whole group, SIGKILL after the grace
  // period, then up to `kill_wait` more. Returns once the group is gone and the
  // exit recorded, or the time is up (then running() may still be true). Also
  // works on an ended instance whose leader left processes behind in its group.
  boost::asio::awaitable<void> stop(bool force, StopTimings t = {});

  // Restart bookkeeping, so a follower of this log never mistakes a restart for
  // an exit: while marked, the exit line says a restart follows and the combined
  // log stays open until note_restart() appends where the new instance logs (or
  // why it could not start) and closes it.
  void mark_restarting(bool on) { restarting_ = on; }
  bool restarting() const { return restarting_; }
  void note_restart(const std::string& system_text);

  Instance(const boost::asio::any_io_executor& ex, ProcessSpec spec);  // use start()
  ~Instance();

 private:
  boost::asio::awaitable<void> pump(int which);
  // Reads what the pipe holds now; false at end of stream. `max_reads` bounds one turn.
  bool read_available(int which, int max_reads);
  // Reads exactly what the pipe holds at this moment (FIONREAD), no more: a writer
  // that never pauses cannot hold the server here.
  void read_pending(int which);
  void close_stream(int which);
  // Records the exit: pending output, the exit line, then the status. Runs when the
  // leader is reaped, or, during a stop, once the whole group is gone.
  void finalize();
  void maybe_close_files();
  boost::asio::awaitable<void> watch_exit();
  boost::asio::awaitable<void> flush_when_quiet(int which);
  void take(int which, std::string_view bytes);
  void write_line(int which, std::string_view line, Millis stamp);
  void system_line(const std::string& text);
  Millis next_stamp();

  boost::asio::any_io_executor ex_;
  ProcessSpec spec_;
  std::unique_ptr<Spawned> child_;
  int pid_ = -1;
  Status status_ = Status::running;
  Millis start_ = 0, last_stamp_ = 0;
  std::uint64_t start_ticks_ = 0;
  bool left_over_ = false;
  std::string note_;
  std::optional<Millis> end_;
  std::optional<int> exit_code_;
  LogPaths paths_;
  LogFile files_[3];
  LineSplitter splitters_[2];
  boost::asio::steady_timer quiet_timers_[2];
  bool quiet_waiting_[2] = {false, false};
  bool finalized_ = false;
  int stops_active_ = 0;
  bool stop_requested_ = false;
  bool restarting_ = false;
  bool stream_open_[2] = {true, true};
  Event reaped_;  // the leader has been waited for
  Event exited_;  // finalize() ran: status, exit code and exit line are out
  Pulse appended_;
  std::function<void(Instance&)> on_exit_;
  std::vector<std::weak_ptr<LineWatcher>> watchers_;
  int restarts_ = 0;
};

}  // namespace pp
