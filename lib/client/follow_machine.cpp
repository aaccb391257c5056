#include "client/follow_machine.hpp"

#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <chrono>

#include "client/follow_steps.hpp"
#include "client/run_output.hpp"
#include "client/run_sources.hpp"
#include "client/run_steps.hpp"
#include "core/posix_io.hpp"

namespace pp::client {

namespace asio = boost::asio;

namespace {

// The log of `stream` beside the combined one: <pid>.<escaped>.{stdout,stderr,combined}.
std::string stream_log(const std::string& combined, const std::string& stream) {
  constexpr std::string_view kSuffix = ".combined";
  if (stream == "combined" || !combined.ends_with(kSuffix)) return combined;
  return combined.substr(0, combined.size() - kSuffix.size()) + "." + stream;
}

// How many of `next`'s first lines repeat `before`'s last ones (the most that do).
std::size_t overlap(const std::vector<std::string>& before, const std::vector<std::string>& next) {
  for (std::size_t k = std::min(before.size(), next.size()); k > 0; --k)
    if (std::equal(next.begin(), next.begin() + static_cast<long>(k), before.end() - static_cast<long>(k)))
      return k;
  return 0;
}

}  // namespace

FollowMachine::FollowMachine(const asio::any_io_executor& ex, const FollowOptions& o)
    : ex_(ex),
      o_(o),
      inbox_(ex),
      signals_(ex, SIGINT, SIGTERM, SIGHUP),
      events_(ex, Endpoint{o.port, o.token, std::chrono::seconds(10)}),
      stream_ended_(ex),
      follower_(ex) {}

template <class Awaitable>
void FollowMachine::spawn(Awaitable a) {
  asio::co_spawn(ex_, std::move(a), ToInbox{&inbox_});
}

// `connect` takes run's options: only the port and token count there.
asio::awaitable<int> FollowMachine::run() {
  RunOptions ro;
  ro.port = o_.port;
  ro.token = o_.token;
  spawn(watch_signals(signals_, inbox_));
  spawn(connect(ro, events_));
  while (state_ != State::done) {
    RunEvent event = co_await inbox_.next();
    std::visit([this](auto& e) { on(e); }, event);
  }
  if (close_session_) co_await events_.close();
  co_return exit_code_;
}

void FollowMachine::on(Connected& e) {
  if (state_ != State::connecting) return;
  state_ = State::finding;
  spawn(watch_server(e.server_pid, stream_ended_, inbox_));
  spawn(read_lifecycle(events_, stream_ended_, inbox_));
  spawn(find_followed(o_));
}

void FollowMachine::on(Found& e) {
  if (state_ != State::finding) return;
  found_ = e;
  state_ = State::catching_up;
  // An ended process's log is complete: its last lines are all there is to show.
  if (!e.ended) {
    follow(e.log_combined, true);
    if (state_ == State::done) return;
    spawn(watch_log(follower_, inbox_));
  }
  spawn(read_backlog(o_, e.pid));
}

void FollowMachine::on(Backlog& e) {
  if (state_ != State::catching_up) return;
  for (const std::string& line : e.lines) write_all(1, line);
  if (found_.ended) {
    if (found_.exit_code) return ended(*found_.exit_code);
    return end(kExitFailed, "process " + std::to_string(found_.pid) + " has ended");
  }
  for (std::string& line : e.lines)
    if (line.ends_with('\n')) line.pop_back();
  backlog_tail_ = std::move(e.lines);
  state_ = State::following;
  drain();
  std::vector<RunEvent> waiting = std::move(deferred_);
  deferred_.clear();
  for (RunEvent& event : waiting)
    if (state_ != State::done) std::visit([this](auto& ev) { on(ev); }, event);
}

bool FollowMachine::concerns(const RunEvent& event, int pid) {
  if (state_ == State::finding || state_ == State::catching_up) {
    deferred_.push_back(event);
    return false;
  }
  return state_ == State::following && pid == found_.pid;
}

void FollowMachine::on(LogGrew&) {
  if (state_ == State::following) drain();
}

void FollowMachine::on(ProcessExited& e) {
  if (!concerns(e, e.pid)) return;
  drain();
  if (!e.restarting) ended(e.exit_code);
}

void FollowMachine::on(ProcessRestarted& e) {
  if (!concerns(e, e.previous_pid)) return;
  drain();
  note("restarted: PID " + std::to_string(found_.pid) + " -> " + std::to_string(e.pid));
  found_.pid = e.pid;
  follow(e.log_combined, false);
  if (state_ != State::done) drain();
}

void FollowMachine::on(RestartFailed& e) {
  if (!concerns(e, e.pid)) return;
  drain();
  end(kExitFailed, "restart failed: " + e.error);
}

void FollowMachine::on(ServerGone& e) {
  if (state_ == State::following) drain();
  end(kExitNoServer, "the server (PID " + std::to_string(e.server_pid) + ") went away");
}

void FollowMachine::on(SignalCaught&) {
  if (state_ == State::connecting || state_ == State::finding) return end(kExitInterrupted, "");
  end(kExitOk, "");  // Ctrl+C ends following: nothing to ask, the process is not ours
}

void FollowMachine::follow(const std::string& log_combined, bool from_end) {
  if (std::string err = follower_.follow(stream_log(log_combined, o_.stream), from_end); !err.empty())
    end(kExitFailed, err);
}

void FollowMachine::drain() {
  std::vector<std::string> lines;
  for (auto& line : follower_.read_lines())
    if (!o_.pattern || o_.pattern->search(line.text)) lines.push_back(std::move(line.text));
  std::size_t skip = overlap(backlog_tail_, lines);
  backlog_tail_.clear();
  for (std::size_t i = skip; i < lines.size(); ++i) show(lines[i]);
}

void FollowMachine::show(const std::string& line) {
  std::string s = line;
  s.push_back('\n');
  write_all(1, s);
}

void FollowMachine::ended(int exit_code) {
  end(shell_exit_code(exit_code), "process " + std::to_string(found_.pid) + " " + describe_exit(exit_code));
}

void FollowMachine::end(int exit_code, const std::string& message) {
  if (state_ == State::done) return;
  if (!message.empty()) note(message);
  exit_code_ = exit_code;
  close_session_ = state_ != State::connecting && exit_code != kExitNoServer;
  state_ = State::done;
}

}  // namespace pp::client
