// One run of a managed process, as a lifecycle: the child, its exit, its stop and
// the bookkeeping of a restart. Its output pumps read the child's stdout and
// stderr into its log set; its input feed writes to its stdin. A restart is a new Instance.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/event.hpp"
#include "supervise/input_feed.hpp"
#include "supervise/instance_tree.hpp"
#include "supervise/log_set.hpp"
#include "supervise/output_pump.hpp"
#include "supervise/process.hpp"
#include "supervise/spawn.hpp"

namespace pp {

class ProbeRunner;

struct StopTimings {
  std::chrono::steady_clock::duration grace = std::chrono::seconds(8);
  std::chrono::steady_clock::duration kill_wait = std::chrono::seconds(2);
};

class Instance final : public Process, public std::enable_shared_from_this<Instance> {
  struct Passkey {
    explicit Passkey() = default;
  };

 public:
  struct Started {
    std::shared_ptr<Instance> instance;  // null on failure
    std::string error;
  };
  // What the process table hears of an instance's life.
  struct ExitHooks {
    // Asked while the exit is recorded, before the exit line, when the exit was
    // not asked for (no stop, no restart on request): true when the restart
    // policy starts the process again (the instance is then marked restarting).
    std::function<bool(Instance&)> restart_follows;
    // Runs once the exit is recorded and the logs are complete.
    std::function<void(Instance&)> exited;
    // Runs once, when its configured readiness holds (ready_ms() is set).
    std::function<void(Instance&)> ready = nullptr;
  };
  // Spawns the child (in `tree`'s cgroup, if it has one, and with its tag in the
  // environment), opens its three log files in `log_dir` and starts reading. The
  // coroutines that read and await the child keep the instance alive while they run.
  static Started start(const boost::asio::any_io_executor& ex, ProcessSpec spec, const std::string& log_dir,
                       ExitHooks hooks, InstanceTree tree);

  Instance(Passkey, const boost::asio::any_io_executor& ex, ProcessSpec spec, Spawned& child,
           InstanceTree tree);  // start() only
  ~Instance() override;

  int pid() const override { return pid_; }
  const ProcessSpec& spec() const override { return spec_; }
  Status status() const override { return status_; }
  Millis start_time() const override { return start_; }
  std::uint64_t start_ticks() const override { return start_ticks_; }
  std::optional<Millis> end_time() const override { return end_; }
  std::optional<int> exit_code() const override { return exit_code_; }
  int restarts() const override { return restarts_; }
  // Empty, unless an exception ended one of its coroutines (note_failure).
  const std::string& note() const override { return note_; }
  // Its leader is unreaped, or anything it started lives on (InstanceTree).
  bool group_alive() const override;
  // The leader has been waited for (until then its pid is Boost.Process's to reap).
  bool reaped() const { return reaped_.is_set(); }
  // "PERSISTPROC_INSTANCE=<tag>": how the orphans it leaves the server are known.
  const std::string& tag_entry() const { return tree_.tag_entry(); }
  const LogPaths& logs() const override { return logs_.paths(); }
  std::string open_log(Stream s, LogRange& range) const override;
  Event& exited() override { return exited_; }
  Pulse& appended() override { return logs_.appended(); }

  // Readiness (docs/stacks.md#readiness), of this instance alone: a restart starts
  // unready. ready_ms() stays set after the exit (how long it took).
  bool ready() const override { return running() && ready_.is_set(); }
  std::optional<Millis> ready_ms() const override { return ready_ms_; }
  // Set once it is ready: at its start when spec().ready is not configured, else
  // when its pattern matched or its probe passed. exited() is the other outcome.
  Event& ready_event() { return ready_; }
  // The pid of its probe's check command while one runs, else 0 (ProbeRunner).
  int probe_pid() const;

  void set_restarts(int n) { restarts_ = n; }
  // Restarts by its policy in a row that led to it (decide_restart).
  int policy_streak() const { return policy_streak_; }
  void set_policy_streak(int n) { policy_streak_ = n; }
  std::optional<Millis> restart_due() const override { return restart_due_; }
  void set_restart_due(std::optional<Millis> due) { restart_due_ = due; }
  // A stop was asked for (its exit is then `terminated`).
  bool stop_requested() const { return stop_requested_; }
  // Adds to its note (a note for `list`, e.g. that its policy gave up).
  void add_note(const std::string& text);
  void set_max_log_size(std::uint64_t bytes) { logs_.set_max_size(bytes); }
  void add_line_watcher(std::weak_ptr<LineWatcher> w) { logs_.add_line_watcher(std::move(w)); }
  // Writes `text` to the process's stdin without blocking (InputFeed::write). The
  // input is closed once the exit is recorded or a stop begins.
  InputFeed::Result write_input(std::string_view text);
  // The window size of its PTY (TIOCSWINSZ: the child gets SIGWINCH); an error
  // message, or "". Kept in the spec, so a restart starts at this size.
  std::string resize(unsigned short columns, unsigned short rows);
  // Sends `sig` to the whole group (and to the leader, in case it left the group).
  void signal_group(int sig);
  // Sends `sig` to the group and to everything else it started (InstanceTree).
  void signal_tree(int sig);

  // spec().stop_signal, SIGTERM unless set (SIGKILL when `force`), to the whole group
  // and everything else it started, SIGKILL after the grace period (spec().stop_grace,
  // else t.grace), then up to `kill_wait` more. Returns
  // once all are gone and the exit recorded, or the time is up (then running() may
  // still be true). Also works on an ended instance whose leader left processes behind.
  // A stop while another is in flight joins it and returns when it ends, so all
  // see its one outcome; a forced one that joins sends SIGKILL at once.
  boost::asio::awaitable<void> stop(bool force, StopTimings t);

  // Restart bookkeeping, so a follower of this log never mistakes a restart for
  // an exit: while marked, the exit line says a restart follows and the combined
  // log stays open until note_restart() appends where the new instance logs (or
  // why it could not start) and closes it.
  void mark_restarting(bool on) { restarting_ = on; }
  bool restarting() const { return restarting_; }
  void note_restart(const std::string& system_text);
  // The restart its policy was waiting for will not come: a stop (`stopped`: the
  // entry ends terminated) or shutdown. Writes `system_text` as note_restart() does.
  void cancel_restart(const std::string& system_text, bool stopped);

 private:
  OutputPump::Sink sink_for(Stream s);
  // One of its coroutines (a pump, the input feed, the exit watcher) ended by an
  // exception, logged already: the note says so, for `list`, and whoever waits on
  // `appended` looks again (docs/architecture.md#background-coroutines).
  void note_failure(const std::string& failure);
  boost::asio::awaitable<void> watch_exit();
  // The one stop in flight: runs on its own (not in any caller), so a caller that
  // goes away leaves those that joined it a stop that still ends.
  struct StopFlight;
  boost::asio::awaitable<void> run_stop(std::shared_ptr<StopFlight> flight, bool force, StopTimings t);
  // Until `deadline`: the leader's reaping, then the end of every member, looking
  // again after each round for what was started meanwhile.
  boost::asio::awaitable<void> await_all_gone(std::chrono::steady_clock::time_point deadline);
  // Records the exit: pending output, the exit line, then the status. Runs when the
  // leader is reaped, or, during a stop, once the whole group is gone.
  void finalize();
  // Once both streams have ended, the exit is recorded and no restart line is due.
  void maybe_close_logs();
  // Readiness (instance_readiness.cpp). Before the pumps first run: the line
  // watcher, or the probe's coroutine (which keeps `self` alive until it ends).
  void start_readiness(const std::shared_ptr<Instance>& self);
  boost::asio::awaitable<void> run_probe();
  // After each batch of lines: a match seen in it makes the instance ready now
  // that the line is written.
  void announce_matched_line();
  void become_ready(Millis stamp);
  class ReadyLine;

  ProcessSpec spec_;
  boost::process::v2::process child_;
  int pid_;
  std::uint64_t start_ticks_;
  LogSet logs_;
  Millis start_;
  OutputPump out_, err_;
  InputFeed in_;
  UniqueFd tty_;  // the PTY master, for resizing; invalid on pipes
  InstanceTree tree_;
  Status status_ = Status::running;
  std::optional<Millis> end_;
  std::optional<int> exit_code_;
  Event reaped_;  // the leader has been waited for
  mutable bool group_gone_ = false;  // reaped, and no member was left at a look since
  Event exited_;  // finalize() ran: status, exit code and exit line are out
  std::shared_ptr<StopFlight> stop_;  // while a stop is in flight
  bool stop_requested_ = false;
  bool restarting_ = false;
  int restarts_ = 0;
  int policy_streak_ = 0;
  std::optional<Millis> restart_due_;
  std::string note_;
  ExitHooks hooks_;
  Event ready_;
  std::optional<Millis> ready_ms_;
  std::optional<Millis> matched_stamp_;  // the ready line's stamp, until announced
  std::shared_ptr<ReadyLine> ready_line_;
  std::shared_ptr<ProbeRunner> probe_;
};

}  // namespace pp
