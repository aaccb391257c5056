#include "client/run_sources.hpp"


#include <boost/asio/as_tuple.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <chrono>

#include "core/unique_fd.hpp"
#include "os/pidfd.hpp"

namespace pp::client {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

int int_of(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<int>() : 0;
}

std::string string_of(const json::object& o, const char* key, const char* otherwise) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string(otherwise);
}

// The event a lifecycle notification's data stands for, if `run` cares about its kind.
std::optional<RunEvent> lifecycle_event(const json::object& data) {
  auto* kind = data.if_contains("event");
  if (!kind || !kind->is_string()) return std::nullopt;
  std::string_view k = kind->as_string();
  if (k == "exited") {
    auto* r = data.if_contains("restarting");
    auto* in = data.if_contains("next_restart_in_s");
    return ProcessExited{int_of(data, "pid"), int_of(data, "exit_code"), r && r->is_bool() && r->as_bool(),
                         in && in->is_number() ? std::optional<double>(in->to_number<double>()) : std::nullopt};
  }
  if (k == "restarted")
    return ProcessRestarted{int_of(data, "previous_pid"), int_of(data, "pid"), string_of(data, "log_combined", ""),
                            string_of(data, "log_tty", "")};
  if (k == "restart_failed") return RestartFailed{int_of(data, "pid"), string_of(data, "error", "unknown error")};
  return std::nullopt;
}

}  // namespace

asio::awaitable<void> watch_signals(asio::signal_set& signals, Inbox& inbox) {
  for (;;) {
    auto [ec, sig] = co_await signals.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    inbox.post(SignalCaught{sig});
  }
}

asio::awaitable<void> read_lifecycle(EventSource& events, Event& stream_ended, Inbox& inbox) {
  for (;;) {
    std::optional<json::object> data = co_await events.next();
    if (!data) break;
    if (auto ev = lifecycle_event(*data)) inbox.post(std::move(*ev));
  }
  stream_ended.set();
}

asio::awaitable<void> watch_server(int server_pid, Event& stream_ended, Inbox& inbox) {
  UniqueFd fd = os::open_pidfd(server_pid);
  if (!fd) co_return;
  asio::posix::stream_descriptor pidfd(co_await asio::this_coro::executor, fd.release());
  auto [ec] = co_await pidfd.async_wait(asio::posix::descriptor_base::wait_read, asio::as_tuple(asio::use_awaitable));
  if (ec) co_return;
  co_await stream_ended.wait_for(std::chrono::seconds(5));
  inbox.post(ServerGone{server_pid});
}

asio::awaitable<void> watch_log(LogFollower& follower, Inbox& inbox) {
  for (;;) {
    co_await follower.changed();
    inbox.post(LogGrew{});
  }
}

}  // namespace pp::client
