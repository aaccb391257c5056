#include "supervise/supervisor.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include "core/background.hpp"
#include "core/dir_path.hpp"
#include "core/join.hpp"
#include "core/logger.hpp"
#include "core/shell_words.hpp"
#include "core/system_lines.hpp"
#include "os/cgroup.hpp"
#include "os/proc_stat.hpp"
#include "os/process_group.hpp"

namespace pp {

namespace asio = boost::asio;

namespace {
// The lifecycle behind a table entry. Only this server's own instances have one, and
// only they run or have a live group: a left-over is never signalled.
Instance& lifecycle(Process& p) { return dynamic_cast<Instance&>(p); }
}  // namespace

std::string default_label(const std::vector<std::string>& command, const std::string& cwd) {
  return shell_join(command) + " in " + cwd;
}

Supervisor::Supervisor(asio::any_io_executor ex, std::string log_dir, StopTimings timings, RestartSchedule schedule)
    : ex_(std::move(ex)), log_dir_(std::move(log_dir)), timings_(timings), schedule_(schedule) {}

Supervisor::~Supervisor() = default;

CtrlOutcome Supervisor::start(ProcessSpec spec, std::shared_ptr<LineWatcher> watcher) {
  std::vector<std::shared_ptr<LineWatcher>> watchers;
  if (watcher) watchers.push_back(std::move(watcher));
  auto started = launch(std::move(spec), watchers);
  if (!started.instance) return {nullptr, std::nullopt, started.error};
  lifecycle_({Lifecycle::started, *started.instance, 0, ""});
  return {started.instance, std::nullopt, ""};
}

void Supervisor::ended(Instance& inst) {
  lifecycle_({Lifecycle::exited, inst, 0, "", inst.restarting()});
  start_policy_wait(inst);
  trim_ended();
}

Instance::Started Supervisor::launch(ProcessSpec spec, const std::vector<std::shared_ptr<LineWatcher>>& watchers) {
  if (shutting_down_) return {nullptr, "The server is shutting down; not starting anything new."};
  if (spec.command.empty()) return {nullptr, "Empty command"};
  spec.cwd = normalize_dir(spec.cwd);
  if (spec.label.empty()) spec.label = default_label(spec.command, spec.cwd);
  for (const auto& p : table_) {
    if (p->running() && p->spec().label == spec.label)
      return {nullptr,
              "Process with label '" + spec.label + "' already running with PID " + std::to_string(p->pid()) + "."};
    if (p->restart_due() && p->spec().label == spec.label)
      return {nullptr, "Process with label '" + spec.label + "' (PID " + std::to_string(p->pid()) +
                           ") is waiting to be restarted by its restart policy; restart or stop it instead."};
  }
  std::string what = shell_join(spec.command) + " in " + spec.cwd;
  std::string n = std::to_string(::getpid()) + "-" + std::to_string(++instances_made_);
  InstanceTree tree(n, cgroup_parent_.empty() ? "" : cgroup_parent_ + "/pp-" + n);
  Instance::ExitHooks hooks{[this](Instance& i) { return policy_restart_follows(i); },
                            [this](Instance& i) {
                              ended(i);
                              changed_(false);
                            },
                            [this](Instance& i) { lifecycle_({Lifecycle::ready, i, 0, ""}); }};
  auto started = Instance::start(ex_, std::move(spec), log_dir_, std::move(hooks), std::move(tree));
  if (!started.instance) {
    logger::warning("could not start " + what + ": " + started.error);
    return started;
  }
  // Before anything yields: the instance's readers have not run yet.
  for (const auto& w : watchers) started.instance->add_line_watcher(w);
  logger::info("started PID " + std::to_string(started.instance->pid()) + ": " + what);
  table_.push_back(started.instance);
  started.instance->set_max_log_size(max_log_size_);  // nothing has yielded: no output read yet
  changed_(true);
  return started;
}

Supervisor::Found Supervisor::find_member(const std::string& name, const std::optional<std::string>& dir) const {
  // Per stack, its running member of that name, else the most recently ended one.
  std::map<std::string, std::shared_ptr<Process>> by_stack;
  for (const auto& p : table_) {
    const StackMember& m = p->spec().member;
    if (m.stack.empty() || m.name != name || (dir && p->spec().cwd != *dir)) continue;
    auto& best = by_stack[m.stack];
    if (!best || (p->running() && !best->running()) ||
        (p->running() == best->running() && (p->running() || best->end_time() <= p->end_time())))
      best = p;
  }
  if (by_stack.empty()) return {nullptr, ""};
  if (by_stack.size() == 1) return {by_stack.begin()->second, ""};
  std::string msg = "'" + name + "' is a process of several stacks; give its label:";
  for (const auto& [stack, p] : by_stack) msg += "\n  '" + p->spec().label + "' (stack " + stack + ")";
  return {nullptr, msg};
}

Supervisor::Found Supervisor::find(const Target& t) const {
  if (t.pid) {
    for (auto it = table_.rbegin(); it != table_.rend(); ++it)
      if ((*it)->pid() == *t.pid) return {*it, ""};
    return {nullptr, "No process found with PID " + std::to_string(*t.pid) + "."};
  }
  if (!t.command_or_label || t.command_or_label->empty())
    return {nullptr, "Give a pid or a command or label to identify the process."};
  const std::string& key = *t.command_or_label;
  std::optional<std::string> dir;
  if (t.working_directory && !t.working_directory->empty()) dir = normalize_dir(*t.working_directory);

  auto split = shell_split(key);
  auto matching = [&](bool running) {
    std::vector<std::shared_ptr<Process>> hits;
    for (const auto& p : table_)
      if (p->running() == running && p->spec().label == key && (!dir || p->spec().cwd == *dir)) hits.push_back(p);
    if (hits.empty() && split.error.empty())
      for (const auto& p : table_)
        if (p->running() == running && p->spec().command == split.words && (!dir || p->spec().cwd == *dir))
          hits.push_back(p);
    return hits;
  };
  std::vector<std::shared_ptr<Process>> hits = matching(true);
  if (hits.empty()) {
    // The crash fallback: the most recently ended match (the table is in start order).
    auto ended = matching(false);
    if (!ended.empty()) {
      auto latest = std::max_element(ended.begin(), ended.end(),
                                     [](const auto& a, const auto& b) { return a->end_time() < b->end_time(); });
      return {*latest, ""};
    }
    if (auto member = find_member(key, dir); member.process || !member.error.empty()) return member;
    if (!split.error.empty()) return {nullptr, "Cannot parse command '" + key + "': " + split.error + "."};
  }
  if (hits.size() == 1) return {hits[0], ""};
  std::string where = dir ? " in " + *dir : "";
  if (hits.empty()) return {nullptr, "No process found matching '" + key + "'" + where + "."};
  std::string msg = "Multiple running processes match '" + key + "'" + where + ":";
  for (const auto& p : hits)
    msg += "\n  PID " + std::to_string(p->pid()) + ": label '" + p->spec().label + "', working directory " +
           p->spec().cwd;
  msg += "\nGive the pid, or the working directory, to choose one.";
  return {nullptr, msg};
}

std::vector<std::shared_ptr<Process>> Supervisor::list(const Target& f) const {
  std::optional<std::vector<std::string>> argv;
  if (f.command_or_label) {
    auto split = shell_split(*f.command_or_label);
    if (split.error.empty()) argv = split.words;
  }
  std::optional<std::string> dir;
  if (f.working_directory && !f.working_directory->empty()) dir = normalize_dir(*f.working_directory);
  std::vector<std::shared_ptr<Process>> out;
  for (const auto& p : table_) {
    if (f.pid && p->pid() != *f.pid) continue;
    if (f.command_or_label && p->spec().label != *f.command_or_label && !(argv && p->spec().command == *argv))
      continue;
    if (dir && p->spec().cwd != *dir) continue;
    if (f.stack && p->spec().member.stack != *f.stack) continue;
    out.push_back(p);
  }
  return out;
}

asio::awaitable<CtrlOutcome> Supervisor::stop(const Target& t, bool force) {
  auto found = find(t);
  if (!found.process) co_return CtrlOutcome{nullptr, std::nullopt, found.error};
  auto inst = found.process;
  if (auto waiting = end_policy_wait(inst.get())) {
    // Ended, and waiting for its policy's restart: the stop ends the wait instead.
    std::string error = "stopped on request while waiting to be restarted by its restart policy";
    waiting->cancel_restart(restart_failed_text(error), true);
    lifecycle_({Lifecycle::restart_failed, *waiting, 0, error, false, "stopped"});
    changed_(true);  // else a crash now would have the next server restore what was stopped
    // Anything its leader left running goes too.
    if (waiting->group_alive()) co_await waiting->stop(force, timings_);
    co_return CtrlOutcome{inst, inst->exit_code(), ""};
  }
  if (!inst->running())
    co_return CtrlOutcome{inst, inst->exit_code(),
                          "Process " + std::to_string(inst->pid()) + " is not running (" + to_string(inst->status()) +
                              ")."};
  co_await lifecycle(*inst).stop(force, timings_);
  if (inst->running())
    co_return CtrlOutcome{inst, std::nullopt,
                          "Process " + std::to_string(inst->pid()) + " did not exit after SIGKILL."};
  co_return CtrlOutcome{inst, inst->exit_code(), ""};
}

struct Supervisor::RestartFlight {
  explicit RestartFlight(const asio::any_io_executor& ex) : done(ex) {}
  Event done;  // set once `outcome` is final
  CtrlOutcome outcome;
  std::vector<std::shared_ptr<LineWatcher>> watchers;  // of every caller, for the new instance
};

asio::awaitable<CtrlOutcome> Supervisor::restart(const Target& t, std::shared_ptr<LineWatcher> watcher) {
  auto found = find(t);
  if (!found.process) co_return CtrlOutcome{nullptr, std::nullopt, found.error};
  auto old = found.process;
  std::shared_ptr<RestartFlight> flight;
  if (auto it = restarts_.find(old.get()); it != restarts_.end()) {
    flight = it->second;  // being restarted: join, so there is one new instance
  } else if (old->running()) {
    flight = std::make_shared<RestartFlight>(ex_);
    restarts_[old.get()] = flight;
    lifecycle(*old).mark_restarting(true);  // now: its exit line, whenever it comes, says a restart follows
    // Should the flight end by an exception, every caller still gets an answer.
    OnEnd on_end{nullptr, [this, old, flight] {
                   if (flight->done.is_set()) return;
                   restarts_.erase(old.get());
                   flight->outcome = CtrlOutcome{
                       old, std::nullopt, "Process " + std::to_string(old->pid()) + " was not restarted: server error."};
                   flight->done.set();
                 }};
    run_in_background(ex_, run_restart(old, flight), "restarting PID " + std::to_string(old->pid()), old,
                      std::move(on_end));
  } else {
    // Only a running entry is an instance of ours to stop: an ended one, or a
    // left-over, is simply started again, here and now (one waiting for its
    // policy's restart without the rest of its wait).
    std::vector<std::shared_ptr<LineWatcher>> watchers;
    if (watcher) watchers.push_back(std::move(watcher));
    auto waiting = end_policy_wait(old.get());
    co_return relaunch(old, waiting.get(), watchers, "request");
  }
  if (watcher) flight->watchers.push_back(std::move(watcher));
  co_await flight->done.wait();
  co_return flight->outcome;
}

asio::awaitable<void> Supervisor::run_restart(std::shared_ptr<Process> old, std::shared_ptr<RestartFlight> flight) {
  Instance& running = lifecycle(*old);
  co_await running.stop(false, timings_);
  if (running.running()) {
    running.mark_restarting(false);
    flight->outcome = CtrlOutcome{old, std::nullopt,
                                  "Process " + std::to_string(old->pid()) + " did not exit after SIGKILL; not restarted."};
  } else {
    flight->outcome = relaunch(old, &running, flight->watchers, "request");
  }
  restarts_.erase(old.get());
  flight->done.set();
}

CtrlOutcome Supervisor::relaunch(const std::shared_ptr<Process>& old, Instance* stopped,
                                 const std::vector<std::shared_ptr<LineWatcher>>& watchers, const char* reason,
                                 int streak) {
  Instance::Started started;
  try {
    started = launch(old->spec(), watchers);
    if (started.instance) {
      started.instance->set_restarts(old->restarts() + 1);
      started.instance->set_policy_streak(streak);
    }
  } catch (const std::exception& e) {
    started.error = std::string("Cannot start: ") + e.what();  // and the old log must still say so
  }
  if (!started.instance && stopped && std::string_view(reason) == "policy")
    stopped->add_note("its restart policy could not start it again: " + started.error);
  // Sent after the old instance's exit (marked restarting), so a client that saw
  // that exit learns how the restart went.
  lifecycle_(started.instance ? Lifecycle{Lifecycle::restarted, *started.instance, old->pid(), "", false, reason}
                              : Lifecycle{Lifecycle::restart_failed, *old, 0, started.error, false, reason});
  if (stopped)
    stopped->note_restart(started.instance
                              ? restarted_text(started.instance->pid(), started.instance->logs().combined_path)
                              : restart_failed_text(started.error));
  return CtrlOutcome{started.instance, old->exit_code(), started.error};
}

asio::awaitable<void> Supervisor::shutdown(bool force) {
  shutting_down_ = true;
  if (!waits_.empty()) {
    while (!waits_.empty()) {
      auto waiting = end_policy_wait(waits_.begin()->first);
      std::string error = "the server is shutting down";
      waiting->cancel_restart(restart_failed_text(error), false);
      lifecycle_({Lifecycle::restart_failed, *waiting, 0, error, false, "shutdown"});
    }
    changed_(true);
  }
  // Every group with a live process, including ended entries whose leader left
  // children behind: nothing managed survives the server.
  std::vector<std::shared_ptr<Process>> running;
  for (const auto& p : table_)
    if (p->group_alive()) running.push_back(p);
  std::vector<asio::awaitable<void>> stops;
  for (const auto& p : running) stops.push_back(lifecycle(*p).stop(force, timings_));
  if (reaper_) stops.push_back(stop_strays(force));
  co_await join_all(std::move(stops), "stopping at shutdown");
  changed_(true);  // the exits' records are written before the server goes, not left waiting
}

bool Supervisor::awaited_leader(int pid) const {
  for (const auto& p : table_)
    if (p->pid() == pid)
      if (auto* inst = dynamic_cast<const Instance*>(p.get()); inst && !inst->reaped()) return true;
  // A readiness check's command is reaped by its probe.
  for (const auto& p : table_)
    if (auto* inst = dynamic_cast<const Instance*>(p.get()); inst && inst->probe_pid() == pid) return true;
  return false;
}

asio::awaitable<void> Supervisor::stop_strays(bool force) {
  // Accounted for: a leader Boost.Process reaps, or an orphan tagged for an
  // instance of the table, whose own stop (running alongside) takes it.
  auto strays = [this] {
    return stray_children([this](int pid) {
      if (awaited_leader(pid)) return true;
      for (const auto& p : table_)
        if (auto* inst = dynamic_cast<const Instance*>(p.get()); inst && environ_has(pid, inst->tag_entry()))
          return true;
      return false;
    });
  };
  auto signal_all = [&](int sig) {
    auto found = strays();
    if (!found.empty())
      logger::info("sending signal " + std::to_string(sig) + " to " + std::to_string(found.size()) +
                   " orphaned process(es) no managed process accounts for");
    for (const auto& p : found) os::send_signal(p, sig);
  };
  auto await_gone = [&](std::chrono::steady_clock::time_point deadline) -> asio::awaitable<void> {
    for (;;) {
      auto found = strays();
      if (found.empty() || std::chrono::steady_clock::now() >= deadline) co_return;
      if (!co_await await_exit(ex_, std::move(found), deadline)) co_return;
    }
  };
  signal_all(force ? SIGKILL : SIGTERM);
  co_await await_gone(std::chrono::steady_clock::now() + (force ? timings_.kill_wait : timings_.grace));
  if (!force && !strays().empty()) {
    signal_all(SIGKILL);
    co_await await_gone(std::chrono::steady_clock::now() + timings_.kill_wait);
  }
}

void Supervisor::use_cgroups(std::string dir) {
  os::remove_stale_cgroups(dir, "pp-");
  cgroup_parent_ = std::move(dir);
}

void Supervisor::adopt_orphans() {
  reaper_ = std::make_unique<OrphanReaper>(ex_, [this](int pid) { return awaited_leader(pid); });
  reaper_->start();
}

void Supervisor::trim_ended() {
  std::vector<std::shared_ptr<Process>> ended;
  for (const auto& p : table_)
    if (!p->running() && !p->restart_due()) ended.push_back(p);  // one waiting for a restart stays
  if (ended.size() <= kKeepEnded) return;
  std::sort(ended.begin(), ended.end(), [](const auto& a, const auto& b) { return a->end_time() > b->end_time(); });
  ended.resize(kKeepEnded);
  // An entry whose leader left live processes behind stays, so shutdown still finds its group.
  std::erase_if(table_, [&](const auto& p) {
    return !p->running() && !p->restart_due() && std::find(ended.begin(), ended.end(), p) == ended.end() &&
           !p->group_alive();
  });
}

void Supervisor::adopt(std::shared_ptr<LeftOver> left_over) {
  table_.push_back(std::move(left_over));
  trim_ended();
}

}  // namespace pp
