// What one `tools/call list` costs the server, by the size of the table and by
// how busy the machine is (bench/README.md#list-cost). For each table size N
// (default 0, 20, 100): a fresh server, N running processes each listening on a
// loopback port, then kClients MCP sessions each making kCalls `list` calls at
// once. Reports the server's CPU per call (user + system, from /proc: fair even
// when this load generator is the bottleneck), calls/s, p50 and p99.
// With --noise, the same again after opening kNoiseSockets idle loopback
// connections and kNoiseProcs unrelated sleeping processes, which must not
// change the cost. With --floor, after each size a server that only sends the
// same answer (list/answer_floor.hpp) is measured the same way: the part of the
// cost no server sending that answer avoids on this machine.
//   pp_bench_list [--noise] [--floor] [N...]
// PP_SERVER_BIN=<other build's persistproc> measures another build the same way.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "common/procfs.hpp"
#include "common/session.hpp"
#include "common/stats.hpp"
#include "common/timing.hpp"
#include "list/answer_floor.hpp"
#include "support/test_support.hpp"

namespace pp::bench {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using pp::client::McpClient;

constexpr int kClients = 8, kCalls = 250;
constexpr int kNoiseSockets = 2000, kNoiseProcs = 500;

struct Figures {
  double cpu_us_per_call = 0, calls_per_s = 0, p50 = 0, p99 = 0;
  long errors = 0;
};

// kClients sessions × kCalls calls to the server at `port`, whose process is `pid`.
Figures measure(int port, const std::optional<std::string>& token, int pid) {
  asio::io_context ioc;
  std::vector<std::unique_ptr<McpClient>> cs;
  pp::client::Endpoint ep{port, token, std::chrono::seconds(60)};
  for (int i = 0; i < kClients; ++i) cs.push_back(std::make_unique<McpClient>(ioc.get_executor(), ep));
  std::vector<double> lat;
  Figures f;
  double cpu0 = cpu_seconds(pid);
  auto t0 = Clock::now();
  for (auto& c : cs) asio::co_spawn(ioc, list_calls(*c, kCalls, lat, f.errors), asio::detached);
  ioc.run();
  double wall = ms_since(t0) / 1000;
  double cpu = cpu_seconds(pid) - cpu0;
  f.cpu_us_per_call = cpu * 1e6 / static_cast<double>(lat.size());
  f.calls_per_s = static_cast<double>(lat.size()) / wall;
  f.p50 = quantile(lat, 0.5);
  f.p99 = quantile(lat, 0.99);
  return f;
}

// Idle connections to a listener of our own, and sleeping processes: a busy machine.
struct Noise {
  int listener = -1;
  std::vector<int> fds;
  std::vector<pid_t> procs;
  Noise() {
    listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener, 4096);
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
    for (int i = 0; i < kNoiseSockets; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) fds.push_back(fd);
      int in = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (in >= 0) fds.push_back(in);
    }
    for (int i = 0; i < kNoiseProcs; ++i) {
      pid_t p = ::fork();
      if (p == 0) {
        ::pause();
        ::_exit(0);
      }
      procs.push_back(p);
    }
  }
  ~Noise() {
    for (pid_t p : procs) ::kill(p, SIGKILL);
    for (pid_t p : procs) ::waitpid(p, nullptr, 0);
    for (int fd : fds) ::close(fd);
    ::close(listener);
  }
};

void row(const char* what, int n, const Figures& f) {
  std::printf("| %-9s | %4d | %10.1f | %8.0f | %7.3f | %7.3f | %ld |\n", what, n, f.cpu_us_per_call, f.calls_per_s, f.p50,
              f.p99, f.errors);
  std::fflush(stdout);
}

// The response body persistproc sends for a `list` whose structuredContent is
// `sc`: the same bytes, give or take the id's digits.
std::string list_answer(const json::object& sc) {
  json::object text{{"type", "text"}, {"text", json::serialize(sc)}};
  json::object result{{"content", json::array{text}}, {"structuredContent", sc}, {"isError", false}};
  json::object msg{{"jsonrpc", "2.0"}, {"id", 1}, {"result", std::move(result)}};
  return json::serialize(msg);
}

// What `list` costs with n listening processes, and, with `floor`, what only
// sending the same answer costs.
void with_table(const char* machine, int n, bool floor) {
  pp::test::Server s({"-q"});
  Session sess(s.port(), s.token());
  pp::test::TempDir dir;
  start_listeners(sess, n, dir.path());
  // For a profiler to attach to the server while it answers (bench/README.md#list-cost).
  std::fprintf(stderr, "measuring server pid %d\n", s.pid());
  row(machine, n, measure(s.port(), s.token(), s.pid()));
  if (!floor) return;
  AnswerFloor f(list_answer(sess.call("list", {})));
  std::fprintf(stderr, "measuring floor pid %d\n", f.pid());
  row("  floor", n, measure(f.port(), std::nullopt, f.pid()));
}

}  // namespace
}  // namespace pp::bench

int main(int argc, char** argv) {
  using namespace pp::bench;
  bool noise = false, floor = false;
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--noise") == 0)
      noise = true;
    else if (std::strcmp(argv[i], "--floor") == 0)
      floor = true;
    else
      sizes.push_back(std::atoi(argv[i]));
  }
  if (sizes.empty()) sizes = {0, 20, 100};
  std::printf("server CPU per `tools/call list`, %d sessions × %d calls\n\n", kClients, kCalls);
  std::printf("| machine   | N    | CPU µs/call | calls/s | p50 ms  | p99 ms  | errors |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (int n : sizes) with_table("quiet", n, floor);
  if (noise) {
    Noise busy;
    std::fprintf(stderr, "noise: %zu idle loopback sockets, %zu sleeping processes\n", busy.fds.size(),
                 busy.procs.size());
    for (int n : sizes) with_table("busy", n, floor);
  }
  return 0;
}
