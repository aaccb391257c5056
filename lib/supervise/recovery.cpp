#include "supervise/recovery.hpp"

#include <signal.h>
#include <unistd.h>

#include <boost/asio/this_coro.hpp>
#include <memory>

#include "core/join.hpp"
#include "core/logger.hpp"
#include "os/proc_stat.hpp"
#include "os/process_group.hpp"
#include "supervise/state_file.hpp"

namespace pp {

namespace asio = boost::asio;

namespace {

constexpr const char* kLeftOver = "left over by a server that ended without shutting down";

enum class Fate { stopped, gone, recycled, not_stopped };

const char* what_became_of_it(Fate f) {
  switch (f) {
    case Fate::stopped: return "; stopped by the next server at start-up";
    case Fate::gone: return "; it had already exited";
    case Fate::recycled: return "; its pid now belongs to another process, which was left alone";
    case Fate::not_stopped: return "; it did not exit after SIGKILL";
  }
  return "";
}

std::string note_for(Fate f) { return std::string(kLeftOver) + what_became_of_it(f); }

// Sends `sig` to the group while it has live members. A group id cannot be handed
// out again while any process is in that group, so this never reaches a stranger.
void signal_group(int pgid, int sig) {
  if (!group_members(pgid).empty()) ::killpg(pgid, sig);
}

// Stops the group of a process we did not start (no waitpid: exits are awaited by
// pidfd): its stop signal (SIGTERM unless its spec says otherwise), its grace period
// (the spec's, else t.grace), SIGKILL, then up to kill_wait. `fate` (which
// must outlive the stop) becomes stopped when no live member is left. Only called
// once the leader has been shown to be the recorded process; a session leader
// cannot leave its group.
asio::awaitable<void> stop_foreign_group(int pgid, const ProcessSpec& spec, StopTimings t, Fate& fate) {
  auto ex = co_await asio::this_coro::executor;
  fate = Fate::not_stopped;
  if (spec.stop_grace) t.grace = *spec.stop_grace;
  signal_group(pgid, spec.stop_signal);
  co_await await_exit(ex, group_members(pgid), std::chrono::steady_clock::now() + t.grace);
  if (!group_members(pgid).empty()) {
    logger::info("left-over group " + std::to_string(pgid) + " outlived the grace period: SIGKILL");
    signal_group(pgid, SIGKILL);
    co_await await_exit(ex, group_members(pgid), std::chrono::steady_clock::now() + t.kill_wait);
  }
  if (group_members(pgid).empty()) fate = Fate::stopped;
}

// Is the process recorded as (pid, ticks) in `boot` still that very process? (A
// zombie still is: its group may have live members to stop.)
bool same_process(int pid, std::uint64_t ticks, const std::string& boot, const std::string& current_boot) {
  if (boot != current_boot || ticks == 0) return false;
  auto now = process_start_ticks(pid);
  return now && *now == ticks;
}

}  // namespace

asio::awaitable<RecoveryReport> recover_left_overs(Supervisor& sup, RecoveryOptions opts) {
  RecoveryReport report;
  LoadedState loaded = read_state(opts.state_path);
  for (const auto& s : loaded.skipped) logger::warning(opts.state_path + ": left out " + s);
  if (!loaded.state) {
    if (!loaded.error.empty()) {
      report.error = loaded.error;
      logger::warning(loaded.error + "; processes an earlier server left running (if any) are not stopped");
    }
    co_return report;
  }
  const SavedState& saved = *loaded.state;
  std::string boot = current_boot_id();
  if (saved.server_pid != static_cast<int>(::getpid()) &&
      same_process(saved.server_pid, saved.server_start_ticks, saved.boot_id, boot) &&
      process_is_live(saved.server_pid)) {  // a crashed server its parent has not reaped yet is a zombie: ended
    report.other_server = true;
    logger::warning(opts.state_path + " belongs to the server with PID " + std::to_string(saved.server_pid) +
                    ", which still runs: its processes are left alone, and this server does not record its own");
    co_return report;
  }
  if (saved.processes.empty()) co_return report;
  logger::warning("the server with PID " + std::to_string(saved.server_pid) + " ended without shutting down and left " +
                  std::to_string(saved.processes.size()) + " process(es) behind; " +
                  (opts.restore ? "stopping and restarting them" : "stopping them"));

  // Every group that is still ours is stopped at once, in parallel, as at shutdown.
  std::vector<Fate> fates(saved.processes.size(), Fate::gone);
  auto ex = co_await asio::this_coro::executor;
  std::vector<asio::awaitable<void>> stops;
  for (std::size_t i = 0; i < saved.processes.size(); ++i) {
    const SavedProcess& p = saved.processes[i];
    if (!same_process(p.pid, p.start_ticks, saved.boot_id, boot)) {
      fates[i] = process_start_ticks(p.pid) ? Fate::recycled : Fate::gone;
      continue;
    }
    if (group_members(p.pgid).empty()) continue;  // a zombie leader and no one else: gone
    logger::info("stopping left-over PID " + std::to_string(p.pid) + " (" + p.spec.label + ")");
    stops.push_back(stop_foreign_group(p.pgid, p.spec, sup.timings(), fates[i]));
  }
  co_await join_all(std::move(stops), "stopping a left-over process group");

  for (std::size_t i = 0; i < saved.processes.size(); ++i) {
    const SavedProcess& p = saved.processes[i];
    Fate f = fates[i];
    switch (f) {
      case Fate::stopped: ++report.stopped; break;
      case Fate::gone: ++report.gone; break;
      case Fate::recycled: ++report.recycled; break;
      case Fate::not_stopped: ++report.not_stopped; break;
    }
    std::string note = note_for(f);
    sup.adopt(std::make_shared<LeftOver>(ex, p, note));
    std::string line = "left-over PID " + std::to_string(p.pid) + " (" + p.spec.label + "): " + note;
    if (f == Fate::not_stopped)
      logger::error(line);
    else
      logger::info(line);
  }

  if (opts.restore) {
    std::vector<ProcessSpec> stack_members;
    for (std::size_t i = 0; i < saved.processes.size(); ++i) {
      const SavedProcess& p = saved.processes[i];
      if (fates[i] == Fate::not_stopped) {
        ++report.restore_failed;
        logger::warning("not restoring PID " + std::to_string(p.pid) + " (" + p.spec.label + "): it still runs");
        continue;
      }
      ProcessSpec spec = p.spec;
      if (!spec.member.stack.empty() && opts.restore_stack_members) {
        ++report.restored;
        logger::info("restoring PID " + std::to_string(p.pid) + " (" + p.spec.label + ") with its stack '" +
                     spec.member.stack + "'");
        stack_members.push_back(std::move(spec));
        continue;
      }
      CtrlOutcome started = sup.start(spec);
      if (started.process) {
        ++report.restored;
        logger::info("restored PID " + std::to_string(p.pid) + " (" + p.spec.label + ") as PID " +
                     std::to_string(started.process->pid()));
      } else {
        ++report.restore_failed;
        logger::warning("could not restore PID " + std::to_string(p.pid) + " (" + p.spec.label +
                        "): " + started.error);
      }
    }
    if (!stack_members.empty()) opts.restore_stack_members(std::move(stack_members));
  }
  std::string summary = "left-over processes: " + std::to_string(report.stopped) + " stopped, " +
                        std::to_string(report.gone) + " had exited, " + std::to_string(report.recycled) +
                        " pid(s) recycled (left alone)";
  if (report.not_stopped) summary += ", " + std::to_string(report.not_stopped) + " still running after SIGKILL";
  if (opts.restore)
    summary += "; restored " + std::to_string(report.restored) + ", " + std::to_string(report.restore_failed) +
               " could not be";
  logger::warning(summary);
  co_return report;
}

}  // namespace pp
