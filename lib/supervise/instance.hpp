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
#include "supervise/process.hpp"
#include "supervise/spawn.hpp"

namespace pp {

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

class Instance final : public Process, public std::enable_shared_from_this<Instance> {
 public:
  struct Started {
    std::shared_ptr<Instance> instance;  // null on failure
    std::string error;
  };
  // Spawns the child, opens its three log files in `log_dir` and starts reading.
  // `on_exit` runs once the exit is recorded and the logs are complete.
  static Started start(const boost::asio::any_io_executor& ex, ProcessSpec spec, const std::string& log_dir,
                       std::function<void(Instance&)> on_exit);

  int pid() const override { return pid_; }
  const ProcessSpec& spec() const override { return spec_; }
  Status status() const override { return status_; }
  Millis start_time() const override { return start_; }
  std::uint64_t start_ticks() const override { return start_ticks_; }
  std::optional<Millis> end_time() const override { return end_; }
  std::optional<int> exit_code() const override { return exit_code_; }
  int restarts() const override { return restarts_; }
  const std::string& note() const override;
  bool group_alive() const override;
  const LogPaths& logs() const override { return paths_; }
  ReadResult read(Stream s, const ReadQuery& q) const override;
  Event& exited() override { return exited_; }
  Pulse& appended() override { return appended_; }

  // Caps each of the three log files (LogFile::set_max_size).
  void set_max_log_size(std::uint64_t bytes);
  void add_line_watcher(std::weak_ptr<LineWatcher> w) { watchers_.push_back(std::move(w)); }
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
  ~Instance() override;

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
