// The process table: start, stop, restart, look up and list managed processes
// (docs/mcp.md#processes). Single-threaded: every call runs on the server's one io_context.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/listeners.hpp"
#include "supervise/instance.hpp"
#include "supervise/left_over.hpp"
#include "supervise/orphan_reaper.hpp"

namespace pp {

// How a request names a process: a pid, or a label/command (optionally in a directory).
struct Target {
  std::optional<int> pid;
  std::optional<std::string> command_or_label;
  std::optional<std::string> working_directory;
  std::optional<std::string> stack = std::nullopt;  // list only: members of this stack (ProcessSpec::member)
};

struct CtrlOutcome {
  std::shared_ptr<Process> process;  // the started one (start/restart) or the stopped one (stop)
  std::optional<int> exit_code;      // how the stopped one ended (stop/restart)
  std::string error;                 // "" on success
};

// What clients are told about as it happens (MCP notifications).
struct Lifecycle {
  // ready: its readiness held (Process::ready_ms), once per instance.
  enum Kind { started, exited, restarted, restart_failed, ready } kind;
  const Process& process;   // the one started or exited; restarted: the new one; restart_failed: the old one
  int previous_pid = 0;     // restarted: the instance it replaces
  std::string error;        // restart_failed: why the new instance did not start
  bool restarting = false;  // exited: on the way to a restart (restarted or restart_failed follows)
  // restarted, restart_failed: "request" (ctrl restart) or "policy" (its restart
  // policy); restart_failed also "stopped" or "shutdown" (a policy's wait cut short).
  std::string reason = {};
};

class Supervisor {
 public:
  static constexpr std::size_t kKeepEnded = 10;

  Supervisor(boost::asio::any_io_executor ex, std::string log_dir, StopTimings timings = {},
             RestartSchedule schedule = {});
  ~Supervisor();

  // Starts `spec`; an empty label gets the default "<command> in <cwd>". A
  // `watcher` sees every line of the new instance from the first.
  CtrlOutcome start(ProcessSpec spec, std::shared_ptr<LineWatcher> watcher = nullptr);
  // A process waiting for its policy's restart is not restarted: its wait ends
  // and its entry ends terminated.
  boost::asio::awaitable<CtrlOutcome> stop(const Target& t, bool force);
  // Stops the process if it runs, then starts it again as it was started. An
  // ended one (found by the crash fallback of find()) is simply started again,
  // and one waiting for its policy's restart is restarted now.
  // A restart of an instance that is being restarted joins that restart: every
  // caller gets its one outcome (the same new instance), and every caller's
  // `watcher` sees the new instance's lines from the first.
  boost::asio::awaitable<CtrlOutcome> restart(const Target& t, std::shared_ptr<LineWatcher> watcher = nullptr);

  // Writes `text` to the stdin of the process `t` names, without blocking
  // (InputFeed). An error when it has ended, is a left-over, closed its input, or
  // has not read the input already waiting. `watcher`, when given, is attached
  // before the write, so it sees every line that follows.
  CtrlOutcome input(const Target& t, std::string_view text, std::shared_ptr<LineWatcher> watcher = nullptr);
  // The window size of the PTY of the process `t` names (Instance::resize).
  CtrlOutcome resize(const Target& t, unsigned short columns, unsigned short rows);
  // Sends `sig` to the group of the running process `t` names.
  CtrlOutcome signal(const Target& t, int sig);

  struct Found {
    std::shared_ptr<Process> process;
    std::string error;
  };
  // Lookup (docs/mcp.md#lookup): pid wins, then an exact label among running processes, then
  // the command (argv equality) among running ones, narrowed by working directory.
  // When no running process matches, the most recently ended one that does is the
  // answer, so a crashed process can still be read and restarted by name. When no
  // label or command matches at all, a stack member's name (ProcessSpec::member)
  // does, if one stack has a process of that name (find_member).
  Found find(const Target& t) const;

  // Every entry that matches all the given filters, oldest first (`stack`: the
  // members of that stack).
  std::vector<std::shared_ptr<Process>> list(const Target& filter) const;

  // Ends every wait for a policy's restart, then stops every running group (with
  // all it started, InstanceTree) in parallel, and,
  // when adopting orphans, the server's children no instance accounts for; `force`
  // skips the grace period. Returns when all have exited. Calling it again while
  // it runs escalates to SIGKILL.
  boost::asio::awaitable<void> shutdown(bool force);

  // Gives each instance started from now on a cgroup of its own under `dir` (the
  // server's delegated cgroup), named pp-<server pid>-<n>; empty ones an earlier
  // server left there are removed now.
  void use_cgroups(std::string dir);
  // This process is a child subreaper (os::become_subreaper): reap the orphans it
  // adopts as they end, and stop those no instance accounts for at shutdown.
  void adopt_orphans();

  const std::string& log_dir() const { return log_dir_; }
  // Each log file of every instance started from now on rotates past this size.
  void set_max_log_size(std::uint64_t bytes) { max_log_size_ = bytes; }

  // Adds a listener called for every start, exit (once its log is complete),
  // restart, and an instance's readiness (once, when its configured check holds).
  void on_lifecycle(std::function<void(const Lifecycle&)> f) { lifecycle_.add(std::move(f)); }
  // Adds a listener called whenever an instance joins the table running or stops
  // running (start, exit, restart): where the state file is kept up to date.
  // `record_now` is false only for an exit: a record that still lists the ended
  // instance for a moment costs nothing (a next server finds it gone), so that
  // write may wait until the exit has been told. Every other change (a start, a
  // restart, an ended restart wait, a new terminal size) must be on record
  // before anyone hears of it, or a crash right after would leave something
  // running unknown, or bring back what was stopped.
  void on_change(std::function<void(bool record_now)> f) { changed_.add(std::move(f)); }
  const boost::asio::any_io_executor& executor() const { return ex_; }

  // Puts a process left over by an earlier server into the table, as the newest.
  void adopt(std::shared_ptr<LeftOver> left_over);
  const StopTimings& timings() const { return timings_; }

 private:
  // The running instance of this server that `t` names, or null with `error` set.
  Instance* running_instance(const Target& t, CtrlOutcome& error) const;
  // The process a stack member's `name` stands for: in the one stack that has a
  // process of that name, its running one, else its most recently ended one. Null
  // with no error when no stack has one; an error naming the labels when several do.
  Found find_member(const std::string& name, const std::optional<std::string>& dir) const;
  Instance::Started launch(ProcessSpec spec, const std::vector<std::shared_ptr<LineWatcher>>& watchers);
  // The restart of one running instance, from its stop to the new start.
  struct RestartFlight;
  boost::asio::awaitable<void> run_restart(std::shared_ptr<Process> old, std::shared_ptr<RestartFlight> flight);
  // Starts `old`'s command again, and tells clients and the old log how it went.
  // `reason` is "request" or "policy"; the new instance's policy streak is `streak`.
  CtrlOutcome relaunch(const std::shared_ptr<Process>& old, Instance* stopped,
                       const std::vector<std::shared_ptr<LineWatcher>>& watchers, const char* reason,
                       int streak = 0);
  // Restart policies (docs/architecture.md#restart-policies). Asked as `inst`'s exit
  // is recorded: decides, notes an exhausted policy, and sets when a restart is due.
  bool policy_restart_follows(Instance& inst);
  // The wait before a policy's restart: a timer, then the restart, unless the
  // wait was ended (end_policy_wait) meanwhile.
  struct PolicyWait;
  // After `inst`'s exit notification: its wait begins, if the policy decided on one.
  void start_policy_wait(Instance& inst);
  boost::asio::awaitable<void> run_policy_wait(std::shared_ptr<Instance> old, std::shared_ptr<PolicyWait> wait);
  // Ends the wait of `p`, if it has one (its timer cancelled): the instance, else null.
  std::shared_ptr<Instance> end_policy_wait(const Process* p);
  void ended(Instance& inst);
  void trim_ended();
  // A child of this process that is the leader of an instance not yet reaped.
  bool awaited_leader(int pid) const;
  // SIGTERM (SIGKILL with `force`), the grace period, SIGKILL, to the server's
  // children that no instance accounts for (stray_children) and their descendants.
  boost::asio::awaitable<void> stop_strays(bool force);

  boost::asio::any_io_executor ex_;
  std::string log_dir_;
  StopTimings timings_;
  RestartSchedule schedule_;
  std::vector<std::shared_ptr<Process>> table_;  // in start order
  std::map<const Process*, std::shared_ptr<RestartFlight>> restarts_;  // by the instance being restarted
  std::map<const Process*, std::shared_ptr<PolicyWait>> waits_;         // by the ended instance
  bool shutting_down_ = false;                   // no new starts once shutdown() began
  Listeners<Lifecycle> lifecycle_;
  Listeners<bool> changed_;
  std::uint64_t max_log_size_ = LogFile::kNoLimit;
  std::string cgroup_parent_;        // "" without cgroups
  std::uint64_t instances_made_ = 0;  // numbers each instance's tag and cgroup
  std::unique_ptr<OrphanReaper> reaper_;
};

std::string default_label(const std::vector<std::string>& command, const std::string& cwd);

}  // namespace pp
