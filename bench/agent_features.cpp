// pp_bench_agent_features: issue 5's figures, against a fresh `serve --port 0`:
//   wait_for overhead: a child writes its matching line (stamped with CLOCK_MONOTONIC
//   as it writes) -> the ctrl call returns to an MCP client (median of 20);
//   `output --grep` over a ~1 GiB log with 100 matches near the end and with none:
//   CLI wall time and server RSS around it, against `grep -c` on the same file.
// Usage: pp_bench_agent_features [log_lines]   (default 10,000,000 lines of 100 bytes)
#include <time.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>

#include "client/mcp_client.hpp"
#include "os/proc_stat.hpp"
#include "core/shell_words.hpp"
#include "support/test_support.hpp"

using namespace pp::test;
namespace json = boost::json;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

double mono_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string summary(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  double med = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  char buf[128];
  std::snprintf(buf, sizeof buf, "median %.3f ms (min %.3f, max %.3f, n=%zu)", med, v.front(), v.back(), v.size());
  return buf;
}

struct Session {
  asio::io_context ioc;
  pp::client::McpClient c;
  Session(int port, std::string token) : c(ioc.get_executor(), {port, std::move(token)}) { run_co(ioc, c.open()); }
  json::object call(const std::string& tool, json::object args) { return run_co(ioc, c.call_tool(tool, std::move(args)), 60s); }
};

}  // namespace

int main(int argc, char** argv) {
  long lines = argc > 1 ? std::stol(argv[1]) : 10'000'000;
  Server s({"-q", "--max-log-size", "0"});  // one uncapped 1 GiB file, not 64 MiB plus a backup
  Session session(s.port(), s.token());
  TempDir cwd;

  // wait_for overhead.
  std::vector<double> overhead;
  for (int i = 0; i < 20; ++i) {
    json::object args{{"action", "start"},
                      {"command_or_label", kHelper + " out:booting stamp:ready pause"},
                      {"working_directory", cwd.path()},
                      {"label", "w" + std::to_string(i)},
                      {"wait_for", "^ready \\d+$"}};
    auto r = session.call("ctrl", std::move(args));
    double returned = mono_ms();
    if (!r.at("error").is_null()) {
      std::fprintf(stderr, "wait_for failed: %s\n", json::serialize(r).c_str());
      return 1;
    }
    std::string line(r.at("matched_line").as_string());
    double written = std::stod(line.substr(6)) / 1e6;
    overhead.push_back(returned - written);
    json::object stop{{"action", "stop"}, {"pid", r.at("pid")}, {"force", true}};
    session.call("ctrl", std::move(stop));
  }
  std::printf("wait_for: matching line written -> ctrl returns: %s\n", summary(overhead).c_str());

  // The big log: `lines` lines of 100 bytes, then 100 matches, then a marker.
  std::string flood = "flood:" + std::to_string(lines) + ":100";
  std::vector<std::string> cmd = {kHelper, flood};
  for (int k = 0; k < 100; ++k) cmd.push_back("out:needle " + std::to_string(k));
  cmd.push_back("out:the end");
  cmd.push_back("pause");
  std::string joined = pp::shell_join(cmd);
  auto t0 = Clock::now();
  json::object big{{"action", "start"}, {"command_or_label", joined}, {"working_directory", cwd.path()},
                   {"label", "big"}, {"wait_for", "^the end$"}, {"wait_timeout", 600}};
  auto r = session.call("ctrl", std::move(big));
  if (!r.at("error").is_null()) {
    std::fprintf(stderr, "big log failed: %s\n", json::serialize(r).c_str());
    return 1;
  }
  std::string log(r.at("log_stdout").as_string());
  std::printf("ingested %ld lines (%.2f GB) in %.1f s\n", lines, static_cast<double>(std::filesystem::file_size(log)) / 1e9, ms_since(t0) / 1e3);

  for (const char* pattern : {"needle", "no such line"}) {
    std::vector<double> wall;
    std::uint64_t rss_before = pp::rss_bytes({s.pid()}), rss_max = rss_before;
    std::string out;
    for (int i = 0; i < 5; ++i) {
      auto t = Clock::now();
      auto res = s.cli({"output", "--format", "json", "--stream", "stdout", "--grep", pattern, "big"});
      wall.push_back(ms_since(t));
      rss_max = std::max(rss_max, pp::rss_bytes({s.pid()}));
      out = res.out.substr(0, 80);
    }
    std::vector<double> base;
    for (int i = 0; i < 5; ++i) {
      auto t = Clock::now();
      run_program({"/usr/bin/grep", "-c", pattern, log});
      base.push_back(ms_since(t));
    }
    std::printf("output --grep '%s': %s; grep -c on the same file: %s; server RSS %llu -> %llu KiB\n", pattern,
                summary(wall).c_str(), summary(base).c_str(), static_cast<unsigned long long>(rss_before / 1024),
                static_cast<unsigned long long>(rss_max / 1024));
  }
  return 0;
}
