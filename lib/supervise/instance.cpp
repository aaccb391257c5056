#include "supervise/instance.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <sys/wait.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/eintr.hpp"
#include "core/logger.hpp"
#include "core/shell_words.hpp"
#include "core/system_lines.hpp"
#include "os/proc_stat.hpp"
#include "os/process_group.hpp"

namespace pp {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
// A partial line (no newline yet) is written once its stream has been quiet this long.
constexpr auto kQuietFlush = 50ms;
}  // namespace

Instance::Instance(const asio::any_io_executor& ex, ProcessSpec spec)
    : ex_(ex),
      spec_(std::move(spec)),
      quiet_timers_{asio::steady_timer(ex), asio::steady_timer(ex)},
      reaped_(ex),
      exited_(ex),
      appended_(ex) {}

Instance::~Instance() {
  // The table only drops ended instances; a running one here means the server is
  // going away without shutdown(): never leave the group behind.
  if (child_ && !reaped_.is_set()) ::killpg(pid_, SIGKILL);
}

Instance::Started Instance::start(const asio::any_io_executor& ex, ProcessSpec spec, const std::string& log_dir,
                                  std::function<void(Instance&)> on_exit) {
  auto inst = std::make_shared<Instance>(ex, std::move(spec));
  SpawnOutcome sp = spawn_child(ex, {inst->spec_.command, inst->spec_.cwd, inst->spec_.env});
  if (!sp.child) return {nullptr, sp.error};
  inst->child_ = std::move(sp.child);
  inst->pid_ = inst->child_->proc.id();
  inst->start_ticks_ = process_start_ticks(inst->pid_).value_or(0);  // unreaped: the pid is still this child
  inst->start_ = inst->last_stamp_ = now_ms();
  inst->on_exit_ = std::move(on_exit);
  inst->paths_ = log_paths_for(log_dir, inst->pid_, inst->spec_.command);
  std::string err;
  for (int i = 0; i < 3 && err.empty(); ++i) err = inst->files_[i].open(inst->paths_.of(static_cast<Stream>(i)));
  if (!err.empty()) {
    // No half-registered entry: take the child down again and report.
    ::killpg(inst->pid_, SIGKILL);
    boost::system::error_code ec;
    inst->child_->proc.wait(ec);
    inst->status_ = Status::failed;
    return {nullptr, err};
  }
  inst->system_line(started_text(inst->pid_, shell_join(inst->spec_.command), inst->spec_.cwd));
  for (int w = 0; w < 2; ++w) asio::co_spawn(ex, inst->pump(w), asio::detached);
  asio::co_spawn(ex, inst->watch_exit(), asio::detached);
  return {inst, ""};
}

const std::string& Instance::note() const {
  static const std::string none;
  return none;
}

ReadResult Instance::read(Stream s, const ReadQuery& q) const { return read_log(files_[static_cast<int>(s)], q); }

Millis Instance::next_stamp() {
  // Never go backwards within an instance: readers binary-search by time.
  last_stamp_ = std::max(last_stamp_, now_ms());
  return last_stamp_;
}

void Instance::write_line(int which, std::string_view line, Millis stamp) {
  files_[which].append(stamp, line);
  if (needs_escape(line))
    files_[2].append(stamp, "\\" + std::string(line));  // only [SYSTEM] lines of our own are real
  else
    files_[2].append(stamp, line);
  if (watchers_.empty()) return;
  std::erase_if(watchers_, [](const auto& w) { return w.expired(); });
  for (const auto& w : watchers_)
    if (auto sp = w.lock()) sp->on_line(line, stamp);
}

void Instance::system_line(const std::string& text) {
  files_[2].append(next_stamp(), "[SYSTEM] " + text);
  files_[2].flush();
}

void Instance::take(int which, std::string_view bytes) {
  Millis stamp = next_stamp();
  splitters_[which].feed(bytes, [&](std::string_view line) { write_line(which, line, stamp); });
  files_[which].flush();
  files_[2].flush();
  appended_.notify();
  if (splitters_[which].has_partial() && stream_open_[which]) {
    quiet_timers_[which].expires_after(kQuietFlush);  // re-arming restarts the quiet period
    if (!quiet_waiting_[which]) {
      quiet_waiting_[which] = true;
      asio::co_spawn(ex_, flush_when_quiet(which), asio::detached);
    }
  }
}

asio::awaitable<void> Instance::flush_when_quiet(int which) {
  auto self = shared_from_this();
  for (;;) {
    auto [ec] = co_await quiet_timers_[which].async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      // Re-armed by new data (or cancelled): wait again while a partial line remains.
      if (stream_open_[which] && splitters_[which].has_partial()) continue;
      break;
    }
    if (stream_open_[which] && splitters_[which].has_partial()) {
      Millis stamp = next_stamp();
      splitters_[which].flush([&](std::string_view line) { write_line(which, line, stamp); });
      files_[which].flush();
      files_[2].flush();
      appended_.notify();
    }
    break;
  }
  quiet_waiting_[which] = false;
}

bool Instance::read_available(int which, int max_reads) {
  auto& d = which == 0 ? child_->out : child_->err;
  char buf[kReadChunk];
  for (int i = 0; i < max_reads; ++i) {
    ssize_t n = retry_eintr([&] { return ::read(d.native_handle(), buf, sizeof buf); });
    if (n > 0) {
      take(which, {buf, static_cast<std::size_t>(n)});
      continue;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);  // 0 is end of stream
  }
  return true;
}

void Instance::read_pending(int which) {
  auto& d = which == 0 ? child_->out : child_->err;
  int pending = 0;
  if (::ioctl(d.native_handle(), FIONREAD, &pending) != 0 || pending <= 0) return;
  char buf[kReadChunk];
  while (pending > 0) {
    ssize_t n = retry_eintr(
        [&] { return ::read(d.native_handle(), buf, std::min<std::size_t>(sizeof buf, static_cast<std::size_t>(pending))); });
    if (n <= 0) break;
    take(which, {buf, static_cast<std::size_t>(n)});
    pending -= static_cast<int>(n);
  }
}

void Instance::close_stream(int which) {
  if (!stream_open_[which]) return;
  stream_open_[which] = false;
  quiet_timers_[which].cancel();
  Millis stamp = next_stamp();
  splitters_[which].flush([&](std::string_view line) { write_line(which, line, stamp); });
  files_[which].flush();
  files_[2].flush();
  appended_.notify();
  boost::system::error_code ignore;
  (which == 0 ? child_->out : child_->err).close(ignore);
  maybe_close_files();
}

asio::awaitable<void> Instance::pump(int which) {
  auto self = shared_from_this();
  auto& d = which == 0 ? child_->out : child_->err;
  // Reads until every writer is gone, also after the leader exited: the rest of its
  // group may still write (a pipeline's last stage, a shutdown message) and must
  // neither lose that output nor die of SIGPIPE.
  while (stream_open_[which]) {
    auto [ec] = co_await d.async_wait(asio::posix::descriptor_base::wait_read, asio::as_tuple(asio::use_awaitable));
    if (ec || !stream_open_[which]) break;
    // At most 1 MiB per turn, so one chatty child cannot starve the rest of the server.
    if (!read_available(which, 16)) close_stream(which);
  }
}

asio::awaitable<void> Instance::watch_exit() {
  auto self = shared_from_this();
  auto [ec, code] = co_await child_->proc.async_wait(asio::as_tuple(asio::use_awaitable));
  // proc.async_wait() hands back the translated code; the raw status tells signal from exit.
  int raw = child_->proc.native_exit_code();
  if (WIFSIGNALED(raw))
    exit_code_ = -WTERMSIG(raw);
  else if (WIFEXITED(raw))
    exit_code_ = WEXITSTATUS(raw);
  else
    exit_code_ = ec ? -1 : code;
  // Reaped: the pid may be reused from now on, so the handle must forget it (its
  // destructor would otherwise kill whatever process gets that number next).
  child_->proc.detach();
  reaped_.set();
  // A stop in progress records the exit itself, once the whole group is gone.
  if (stops_active_ == 0) finalize();
}

void Instance::finalize() {
  if (finalized_) return;
  finalized_ = true;
  // In this one handler: what the pipes hold now, the exit line, then the status, so
  // a client that sees the new status also sees every line written before the exit.
  for (int w = 0; w < 2; ++w) {
    if (!stream_open_[w]) continue;
    read_pending(w);
    Millis stamp = next_stamp();
    splitters_[w].flush([&](std::string_view line) { write_line(w, line, stamp); });
  }
  end_ = next_stamp();
  status_ = stop_requested_ ? Status::terminated : Status::exited;
  int c = *exit_code_;
  system_line(exit_text(c, restarting_));
  logger::info("PID " + std::to_string(pid_) + " (" + spec_.label + ") " + to_string(status_) + ", exit code " +
               std::to_string(c));
  exited_.set();
  appended_.notify();
  maybe_close_files();
  if (on_exit_) on_exit_(*this);
}

void Instance::maybe_close_files() {
  if (!finalized_ || stream_open_[0] || stream_open_[1] || restarting_) return;
  for (auto& f : files_) f.close();
}

void Instance::set_max_log_size(std::uint64_t bytes) {
  for (auto& f : files_) f.set_max_size(bytes);
}

bool Instance::group_alive() const { return !reaped_.is_set() || !group_members(pid_).empty(); }

void Instance::note_restart(const std::string& text) {
  if (!restarting_) return;
  system_line(text);
  restarting_ = false;
  appended_.notify();
  maybe_close_files();
}

asio::awaitable<void> Instance::stop(bool force, StopTimings t) {
  auto self = shared_from_this();
  if (!group_alive()) co_return;
  ++stops_active_;
  if (!finalized_) {
    stop_requested_ = true;
    logger::info("stopping PID " + std::to_string(pid_) + " (" + spec_.label + ")" + (force ? " with SIGKILL" : ""));
  }
  auto signal_group = [&](int sig) {
    // The group id stays ours while the leader is unreaped or any member lives.
    if (!reaped_.is_set()) ::kill(pid_, sig);  // in case it left its group
    if (group_alive()) ::killpg(pid_, sig);
  };
  auto wait_all = [&](std::chrono::steady_clock::time_point deadline) -> asio::awaitable<void> {
    co_await reaped_.wait_until(deadline);
    co_await await_exit(ex_, group_members(pid_), deadline);
  };
  signal_group(force ? SIGKILL : SIGTERM);
  co_await wait_all(std::chrono::steady_clock::now() + (force ? t.kill_wait : t.grace));
  if (!force && group_alive()) {
    signal_group(SIGKILL);
    co_await wait_all(std::chrono::steady_clock::now() + t.kill_wait);
  }
  if (--stops_active_ == 0 && reaped_.is_set()) finalize();
}

}  // namespace pp
