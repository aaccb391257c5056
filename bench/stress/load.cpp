// The idle-socket flood and the slow search beside `list`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <thread>

#include "client/call.hpp"
#include "common/log_watch.hpp"
#include "common/session.hpp"
#include "common/stats.hpp"
#include "common/timing.hpp"
#include "stress/stress.hpp"

namespace pp::bench {

namespace {
constexpr int kIdleSockets = 600;
constexpr int kListCalls = 100;
constexpr long kBigLogLines = 2'000'000;  // × 116 B stamped: ~230 MB
const char* const kSlowPattern = "\\p{Greek}{500}";

int connect_idle(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    fd = -1;
  }
  return fd;
}
}  // namespace

void idle_socket_flood(const pp::test::Server& s) {
  std::vector<int> idle;
  for (int i = 0; i < kIdleSockets; ++i)
    if (int fd = connect_idle(s.port()); fd >= 0) idle.push_back(fd);
  int ok = 0;
  std::vector<double> ms;
  std::string first_error;
  for (int i = 0; i < kListCalls; ++i) {
    auto t0 = Clock::now();
    auto r = client::call_tool_once(client::Endpoint{s.port(), s.token(), std::chrono::seconds(10)}, "list", {});
    ms.push_back(ms_since(t0));
    if (r.kind == client::CallOutcome::ok)
      ++ok;
    else if (first_error.empty())
      first_error = r.message;
  }
  for (int fd : idle) ::close(fd);
  std::printf("idle-socket flood: %zu idle connections held; `list` on a new connection succeeded %d of %d times "
              "(p50 %.2f ms, p99 %.2f ms)%s%s\n",
              idle.size(), ok, kListCalls, quantile(ms, 0.5), quantile(ms, 0.99), first_error.empty() ? "" : "; first error: ",
              first_error.c_str());
}

void slow_search_with_list(const pp::test::Server& s, const std::string& cwd) {
  Session sess(s.port(), s.token());
  auto r = sess.call("ctrl", start_args(kFlood + " " + std::to_string(kBigLogLines) + " stay", cwd, "big"));
  std::string log(r.at("log_stdout").as_string());
  await_ready(log, "big log flood");
  ::kill(as_int(r.at("pid")), SIGUSR1);
  if (!await_count(log, 0, "\n", kBigLogLines + 1, std::chrono::seconds(300)))
    throw std::runtime_error("the big log was not written");
  long long size = file_size(log);

  std::atomic<bool> searching{true};
  double search_ms = 0;
  std::string outcome;
  std::thread searcher([&] {
    Session other(s.port(), s.token());
    auto t0 = Clock::now();
    auto out = other.call("output", {{"command_or_label", "big"}, {"stream", "stdout"}, {"pattern", kSlowPattern}});
    search_ms = ms_since(t0);
    outcome = out.at("error").is_string() ? std::string(out.at("error").as_string())
                                          : std::to_string(out.at("output").as_array().size()) + " lines matched";
    searching = false;
  });
  std::vector<double> lat;
  while (searching) {
    auto t0 = Clock::now();
    sess.call("list", {});
    lat.push_back(ms_since(t0));
  }
  searcher.join();
  std::printf("slow search: pattern %s over %.0f MB took %.0f ms (%s); meanwhile %zu `list` calls: p50 %.2f ms, "
              "p99 %.2f ms, max %.2f ms\n",
              kSlowPattern, static_cast<double>(size) / 1e6, search_ms, outcome.c_str(), lat.size(), quantile(lat, 0.5),
              quantile(lat, 0.99), lat.empty() ? 0.0 : highest(lat));
  sess.call("ctrl", {{"action", "stop"}, {"command_or_label", "big"}, {"force", true}});
}

}  // namespace pp::bench
