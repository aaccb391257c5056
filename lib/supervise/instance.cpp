#include "supervise/instance.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/background.hpp"
#include "core/logger.hpp"
#include "core/shell_words.hpp"
#include "core/system_lines.hpp"
#include "os/cgroup.hpp"
#include "os/proc_stat.hpp"
#include "os/process_group.hpp"
#include "os/pty.hpp"
#include "supervise/readiness_probe.hpp"

namespace pp {

namespace asio = boost::asio;

Instance::Instance(Passkey, const asio::any_io_executor& ex, ProcessSpec spec, Spawned& child, InstanceTree tree)
    : spec_(std::move(spec)),
      child_(std::move(child.proc)),
      pid_(child_.id()),
      start_ticks_(process_start_ticks(pid_).value_or(0)),  // unreaped: the pid is still this child
      logs_(ex),
      start_(logs_.next_stamp()),
      out_(std::move(child.out), sink_for(Stream::out)),
      err_(std::move(child.err), sink_for(Stream::err)),
      in_(std::move(child.in), [this](const std::string& failure) { note_failure(failure); }),
      tty_(std::move(child.tty)),
      tree_(std::move(tree)),
      reaped_(ex),
      exited_(ex),
      ready_(ex) {}

Instance::~Instance() {
  // The table only drops ended instances; a running one here means the server is
  // going away without shutdown(): never leave the group behind.
  if (!reaped_.is_set()) {
    ::killpg(pid_, SIGKILL);
    tree_.signal_outside_group(SIGKILL);
  }
  tree_.remove_cgroup();
}

Instance::Started Instance::start(const asio::any_io_executor& ex, ProcessSpec spec, const std::string& log_dir,
                                  ExitHooks hooks, InstanceTree tree) {
  SpawnRequest req{spec.command, spec.cwd, spec.env, spec.tty, spec.columns, spec.rows};
  // The tag goes last, over the request's overlay: orphans are known by it.
  auto eq = tree.tag_entry().find('=');
  req.env[tree.tag_entry().substr(0, eq)] = tree.tag_entry().substr(eq + 1);
  UniqueFd cgroup_procs;
  if (!tree.cgroup().empty()) {
    if (std::string err = os::make_cgroup(tree.cgroup()); err.empty()) cgroup_procs = os::open_cgroup_procs(tree.cgroup());
    else logger::warning(err);
    if (!cgroup_procs) tree.forget_cgroup();
  }
  req.cgroup_procs = cgroup_procs.get();
  SpawnOutcome sp = spawn_child(ex, req);
  if (!sp.child) {
    tree.forget_cgroup();
    return {nullptr, sp.error};
  }
  int pid = sp.child->proc.id();
  tree.set_leader(pid);
  if (!tree.cgroup().empty()) {
    // The child moved itself in before exec; if it could not, it runs without one.
    if (os::cgroup_dir_of_pid(pid) != tree.cgroup()) {
      logger::warning("PID " + std::to_string(pid) + " could not enter cgroup " + tree.cgroup() + "; it runs without one");
      tree.forget_cgroup();
    }
  }
  auto inst = std::make_shared<Instance>(Passkey{}, ex, std::move(spec), *sp.child, std::move(tree));
  if (std::string err = inst->logs_.open_unique(log_dir, inst->pid_, inst->spec_.command, inst->spec_.tty);
      !err.empty()) {
    // No half-registered entry: take the child down again and report.
    ::killpg(inst->pid_, SIGKILL);
    boost::system::error_code ec;
    inst->child_.wait(ec);
    inst->reaped_.set();
    return {nullptr, err};
  }
  inst->hooks_ = std::move(hooks);
  inst->logs_.system_line(started_text(inst->pid_, shell_join(inst->spec_.command), inst->spec_.cwd));
  inst->start_readiness(inst);
  std::string who = "PID " + std::to_string(inst->pid_) + " (" + inst->spec_.label + ")";
  inst->out_.start(inst, "stdout of " + who);
  inst->err_.start(inst, "stderr of " + who);
  // The coroutines keep the instance alive while they run, so `raw` outlives them.
  Instance* raw = inst.get();
  run_in_background(ex, inst->watch_exit(), "awaiting the exit of " + who, inst,
                    {[raw](const std::string& failure) { raw->note_failure(failure); }, nullptr});
  return {inst, ""};
}

OutputPump::Sink Instance::sink_for(Stream s) {
  // The pumps live in this instance, and their coroutines keep it alive.
  OutputPump::Sink sink{[this] { return logs_.next_stamp(); },
                        [this, s](std::string_view line, Millis stamp) { logs_.write_line(s, line, stamp); },
                        [this] {
                          logs_.flush();
                          announce_matched_line();
                        },
                        [this] { maybe_close_logs(); }};
  sink.failed = [this](const std::string& failure) { note_failure(failure); };
  if (spec_.tty && s == Stream::out) {
    // A terminal's output: the bytes as read to the .tty file, the text a terminal
    // would show to the logs agents read.
    sink.raw = [this](std::string_view bytes) { logs_.write_raw(bytes); };
    sink.terminal = true;
  }
  return sink;
}

std::string Instance::resize(unsigned short columns, unsigned short rows) {
  std::string who = "Process " + std::to_string(pid_);
  if (!spec_.tty) return who + " runs without a terminal (start it with tty: true to resize it).";
  if (!running() || !tty_) return who + " is not running.";
  if (!os::set_window_size(tty_.get(), columns, rows)) return who + ": cannot resize its terminal.";
  spec_.columns = columns;
  spec_.rows = rows;
  return "";
}

void Instance::note_failure(const std::string& failure) {
  add_note("server error: " + failure + " (part of its supervision stopped; see the server log)");
}

void Instance::add_note(const std::string& text) {
  if (!note_.empty()) note_ += "; ";
  note_ += text;
  logs_.appended().notify();
}

InputFeed::Result Instance::write_input(std::string_view text) {
  return in_.write(text, shared_from_this(), "PID " + std::to_string(pid_) + " (" + spec_.label + ")");
}

std::string Instance::open_log(Stream s, LogRange& range) const {
  const LogFile& f = logs_.file(s);
  return range.open(f.path(), &f.index(), f.backup_index());
}

asio::awaitable<void> Instance::watch_exit() {
  auto [ec, code] = co_await child_.async_wait(asio::as_tuple(asio::use_awaitable));
  // async_wait() hands back the translated code; the raw status tells signal from exit.
  int raw = child_.native_exit_code();
  if (WIFSIGNALED(raw))
    exit_code_ = -WTERMSIG(raw);
  else if (WIFEXITED(raw))
    exit_code_ = WEXITSTATUS(raw);
  else
    exit_code_ = ec ? -1 : code;
  // Reaped: the pid may be reused from now on, so the handle must forget it (its
  // destructor would otherwise kill whatever process gets that number next).
  child_.detach();
  tree_.leader_reaped();
  reaped_.set();
  // A stop in flight records the exit itself, once the whole group is gone.
  if (!stop_) finalize();
}

void Instance::finalize() {
  // Nothing below calls back into finalize() before exited_ is set.
  if (exited_.is_set()) return;
  // In this one handler: what the pipes hold now, the exit line, then the status, so
  // a client that sees the new status also sees every line written before the exit.
  // (Waiters on `appended` and `exited` resume after this handler, not inside it.)
  out_.drain();
  err_.drain();
  in_.close();
  tty_.reset();
  if (probe_) probe_->stop();  // its check, if one runs, is killed now
  end_ = logs_.next_stamp();
  status_ = stop_requested_ ? Status::terminated : Status::exited;
  int c = *exit_code_;
  if (!stop_requested_ && !restarting_ && hooks_.restart_follows && hooks_.restart_follows(*this)) restarting_ = true;
  logs_.system_line(exit_text(c, restarting_));
  logger::info("PID " + std::to_string(pid_) + " (" + spec_.label + ") " + to_string(status_) + ", exit code " +
               std::to_string(c));
  exited_.set();
  maybe_close_logs();
  tree_.remove_cgroup();  // stays while something of it still runs there
  if (hooks_.exited) hooks_.exited(*this);
}

void Instance::maybe_close_logs() {
  if (exited_.is_set() && !out_.open() && !err_.open() && !restarting_) logs_.close();
}

bool Instance::group_alive() const {
  if (!reaped_.is_set()) return true;
  // Once empty, a group stays so (its pids belong to others from then on): the
  // table's trim and a shutdown ask again and again, and each answer is a look at /proc.
  if (group_gone_) return false;
  group_gone_ = !tree_.any_alive();
  return !group_gone_;
}

void Instance::note_restart(const std::string& text) {
  if (!restarting_) return;
  logs_.system_line(text);
  restarting_ = false;
  maybe_close_logs();
}

void Instance::cancel_restart(const std::string& text, bool stopped) {
  restart_due_.reset();
  if (stopped) {
    stop_requested_ = true;
    status_ = Status::terminated;
  }
  note_restart(text);
}

void Instance::signal_group(int sig) {
  // The group id stays ours while the leader is unreaped or any member lives.
  if (!reaped_.is_set()) ::kill(pid_, sig);  // in case it left its group
  if (!reaped_.is_set() || !group_members(pid_).empty()) ::killpg(pid_, sig);
}

void Instance::signal_tree(int sig) {
  signal_group(sig);                // the group at once, including what it forks meanwhile
  tree_.signal_outside_group(sig);  // and each other member found now, wherever it went
}

struct Instance::StopFlight {
  explicit StopFlight(const asio::any_io_executor& ex) : done(ex) {}
  Event done;            // set once the flight has ended, its outcome recorded
  bool killing = false;  // SIGKILL sent: a forced stop that joins has nothing to add
};

asio::awaitable<void> Instance::stop(bool force, StopTimings t) {
  auto self = shared_from_this();
  std::shared_ptr<StopFlight> flight = stop_;
  if (!flight) {
    if (!group_alive()) co_return;
    auto ex = co_await asio::this_coro::executor;
    flight = stop_ = std::make_shared<StopFlight>(ex);
    // Should the flight end by an exception, those who joined it still hear of its end.
    OnEnd on_end{[this](const std::string& failure) { note_failure(failure); },
                 [this, flight] {
                   if (flight->done.is_set()) return;
                   if (stop_ == flight) stop_.reset();
                   flight->done.set();
                 }};
    run_in_background(ex, run_stop(flight, force, t), "stopping PID " + std::to_string(pid_), self,
                      std::move(on_end));
  } else if (force && !flight->killing) {
    // Joining a graceful stop: kill now; the flight's wait ends once all are gone.
    logger::info("stopping PID " + std::to_string(pid_) + " (" + spec_.label + ") with SIGKILL now");
    flight->killing = true;
    signal_tree(SIGKILL);
  }
  co_await flight->done.wait();
}

asio::awaitable<void> Instance::run_stop(std::shared_ptr<StopFlight> flight, bool force, StopTimings t) {
  if (!exited_.is_set()) {
    stop_requested_ = true;
    logger::info("stopping PID " + std::to_string(pid_) + " (" + spec_.label + ")" + (force ? " with SIGKILL" : ""));
  }
  flight->killing = force;
  signal_tree(force ? SIGKILL : spec_.stop_signal);  // its own stop signal (a stack's shutdown.signal)
  in_.close();  // a stopped process gets no more input; one that ends at end of input may end sooner
  auto grace = spec_.stop_grace ? std::chrono::steady_clock::duration(*spec_.stop_grace) : t.grace;
  co_await await_all_gone(std::chrono::steady_clock::now() + (force ? t.kill_wait : grace));
  if (!force && group_alive()) {
    flight->killing = true;
    signal_tree(SIGKILL);
    co_await await_all_gone(std::chrono::steady_clock::now() + t.kill_wait);
  }
  // The outcome first, then those waiting for it: they all see the same one.
  stop_.reset();
  if (reaped_.is_set()) finalize();
  tree_.remove_cgroup();  // also after an ended instance's stop, which records nothing
  flight->done.set();
}

asio::awaitable<void> Instance::await_all_gone(std::chrono::steady_clock::time_point deadline) {
  auto ex = co_await asio::this_coro::executor;
  co_await reaped_.wait_until(deadline);
  // Each round awaits the exits of those found; the next looks for any started
  // meanwhile (a fork racing the signal). Every round waits on exits, never on time.
  for (;;) {
    auto members = tree_.members();
    if (members.empty() || std::chrono::steady_clock::now() >= deadline) co_return;
    if (!co_await await_exit(ex, std::move(members), deadline)) co_return;
  }
}

}  // namespace pp
