// state.json keeps what stacks add to a process (docs/stacks.md): its stack
// membership, its readiness (a ready line's pattern or a probe), its stop signal and
// grace. Files written before these fields load as before, and a bad one is skipped.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <fstream>

#include "supervise/state_file.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

using namespace std::chrono_literals;
using test::TempDir;

SavedProcess member(int pid, const std::string& dir) {
  SavedProcess p;
  p.pid = p.pgid = pid;
  p.start_ticks = 77;
  p.start_time = 1751812221123;
  p.spec.command = {"node", "server.js"};
  p.spec.cwd = dir;
  p.spec.label = "shop/web";
  p.logs = log_paths_for(dir, pid, p.spec.command);
  p.spec.member = {"shop", "web", {{"db", "process_ready"}, {"css", "process_started"}}};
  p.spec.stop_signal = SIGINT;
  p.spec.stop_grace = 1500ms;
  return p;
}

TEST(StateFileStacks, MembershipReadinessAndStopSettingsComeBack) {
  TempDir dir;
  std::string path = dir.path() + "/state.json";
  SavedState s;
  s.processes = {member(100, dir.path()), member(200, dir.path()), member(300, dir.path())};
  std::string error;
  s.processes[0].spec.ready.log_line = Pattern::compile("listening on \\d+", error);
  ReadinessProbe exec;
  exec.exec = ExecCheck{{"sh", "-c", "test -e up"}, dir.path()};
  exec.initial_delay = 250ms;
  exec.period = 500ms;
  exec.timeout = 300ms;
  exec.failure_threshold = 7;
  s.processes[1].spec.ready.probe = exec;
  ReadinessProbe http;
  http.http_get = HttpCheck{"localhost", 8080, "/health"};
  s.processes[2].spec.ready.probe = http;
  s.processes[2].spec.stop_grace.reset();
  ASSERT_EQ(write_state(path, s), "");

  LoadedState back = read_state(path);
  ASSERT_TRUE(back.state) << back.error;
  EXPECT_TRUE(back.skipped.empty()) << back.skipped[0];
  ASSERT_EQ(back.state->processes.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const ProcessSpec& a = back.state->processes[i].spec;
    const ProcessSpec& b = s.processes[i].spec;
    EXPECT_EQ(a.member.stack, "shop");
    EXPECT_EQ(a.member.name, "web");
    ASSERT_EQ(a.member.depends_on.size(), 2u);
    EXPECT_EQ(a.member.depends_on[0].name, "db");
    EXPECT_EQ(a.member.depends_on[0].condition, "process_ready");
    EXPECT_EQ(a.member.depends_on[1].name, "css");
    EXPECT_EQ(a.member.depends_on[1].condition, "process_started");
    EXPECT_EQ(a.stop_signal, SIGINT);
    EXPECT_EQ(a.stop_grace, b.stop_grace);
    EXPECT_EQ(a.ready.configured(), true);
  }
  const Readiness& line = back.state->processes[0].spec.ready;
  ASSERT_TRUE(line.log_line);
  EXPECT_EQ(line.log_line->text(), "listening on \\d+");
  EXPECT_TRUE(line.log_line->search("listening on 5173"));
  EXPECT_FALSE(line.probe);

  const Readiness& e = back.state->processes[1].spec.ready;
  EXPECT_FALSE(e.log_line);
  ASSERT_TRUE(e.probe && e.probe->exec);
  EXPECT_FALSE(e.probe->http_get);
  EXPECT_EQ(e.probe->exec->argv, exec.exec->argv);
  EXPECT_EQ(e.probe->exec->cwd, dir.path());
  EXPECT_EQ(e.probe->initial_delay, 250ms);
  EXPECT_EQ(e.probe->period, 500ms);
  EXPECT_EQ(e.probe->timeout, 300ms);
  EXPECT_EQ(e.probe->failure_threshold, 7);

  const Readiness& h = back.state->processes[2].spec.ready;
  ASSERT_TRUE(h.probe && h.probe->http_get);
  EXPECT_FALSE(h.probe->exec);
  EXPECT_EQ(h.probe->http_get->host, "localhost");
  EXPECT_EQ(h.probe->http_get->port, 8080);
  EXPECT_EQ(h.probe->http_get->path, "/health");
  EXPECT_EQ(h.probe->period, 10000ms);  // the defaults, as written
  EXPECT_FALSE(back.state->processes[2].spec.stop_grace);
}

TEST(StateFileStacks, AProcessOnItsOwnIsWrittenWithNullsAndReadBackSo) {
  TempDir dir;
  std::string path = dir.path() + "/state.json";
  SavedState s;
  s.processes = {member(100, dir.path())};
  s.processes[0].spec.member = {};
  s.processes[0].spec.stop_signal = SIGTERM;
  s.processes[0].spec.stop_grace.reset();
  ASSERT_EQ(write_state(path, s), "");
  auto o = boost::json::parse(test::read_file(path)).at("processes").at(0).as_object();
  EXPECT_TRUE(o.at("member").is_null());
  EXPECT_TRUE(o.at("ready").is_null());
  EXPECT_TRUE(o.at("stop_grace_ms").is_null());
  EXPECT_EQ(o.at("stop_signal").as_int64(), SIGTERM);
  auto back = read_state(path);
  ASSERT_TRUE(back.state) << back.error;
  ASSERT_EQ(back.state->processes.size(), 1u);
  EXPECT_TRUE(back.state->processes[0].spec.member.stack.empty());
  EXPECT_FALSE(back.state->processes[0].spec.ready.configured());
}

TEST(StateFileStacks, AFileFromBeforeStacksLoadsWithTheDefaults) {
  TempDir dir;
  std::string path = dir.path() + "/state.json";
  SavedState s;
  s.processes = {member(100, dir.path())};
  ASSERT_EQ(write_state(path, s), "");
  auto root = boost::json::parse(test::read_file(path)).as_object();
  for (const char* k : {"member", "ready", "stop_signal", "stop_grace_ms"})
    ASSERT_TRUE(root["processes"].as_array()[0].as_object().erase(k)) << k;
  std::ofstream(path, std::ios::trunc) << boost::json::serialize(root);
  auto back = read_state(path);
  ASSERT_TRUE(back.state) << back.error;
  ASSERT_EQ(back.state->processes.size(), 1u) << back.skipped[0];
  const ProcessSpec& spec = back.state->processes[0].spec;
  EXPECT_EQ(spec.label, "shop/web");
  EXPECT_TRUE(spec.member.stack.empty());
  EXPECT_TRUE(spec.member.depends_on.empty());
  EXPECT_FALSE(spec.ready.configured());
  EXPECT_EQ(spec.stop_signal, SIGTERM);
  EXPECT_FALSE(spec.stop_grace);
}

TEST(StateFileStacks, BadStackFieldsSkipTheirEntryWithTheReason) {
  TempDir dir;
  std::string path = dir.path() + "/state.json";
  SavedState s;
  for (int pid = 1; pid <= 6; ++pid) s.processes.push_back(member(pid, dir.path()));
  ASSERT_EQ(write_state(path, s), "");
  auto root = boost::json::parse(test::read_file(path)).as_object();
  auto& procs = root["processes"].as_array();
  procs[0].as_object()["member"] = "web";
  procs[1].as_object()["ready"] = boost::json::object{{"log_line", "(unclosed"}, {"probe", nullptr}};
  procs[2].as_object()["ready"] = boost::json::parse(
      R"({"log_line":null,"probe":{"initial_delay_ms":0,"period_ms":100,"timeout_ms":100,"failure_threshold":3}})");
  procs[3].as_object()["stop_signal"] = 99;
  procs[4].as_object()["stop_grace_ms"] = -5;
  std::ofstream(path, std::ios::trunc) << boost::json::serialize(root);
  auto back = read_state(path);
  ASSERT_TRUE(back.state) << back.error;
  ASSERT_EQ(back.state->processes.size(), 1u);
  EXPECT_EQ(back.state->processes[0].pid, 6);
  ASSERT_EQ(back.skipped.size(), 5u);
  const char* reasons[] = {"'member' is not an object", "'log_line' does not compile",
                           "exactly one of 'exec' and 'http_get'", "'stop_signal' is out of range",
                           "'stop_grace_ms' is negative"};
  for (std::size_t i = 0; i < 5; ++i)
    EXPECT_NE(back.skipped[i].find(reasons[i]), std::string::npos) << back.skipped[i];
}

}  // namespace
}  // namespace pp
