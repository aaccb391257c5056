// An instance's readiness (docs/stacks.md#readiness) through the process table: a
// ready line (ready_ms, one `ready` event per instance, a restarted instance unready
// until its own line), an exec probe that fails twice then passes, an HTTP probe,
// a process without readiness; a stack member's stop signal and grace; lookup by a
// member's name and the list's stack filter. Every step awaits an event.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>

#include "supervise/supervisor.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::TempDir;

class InstanceReadiness : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(log_dir);
    sup = std::make_unique<Supervisor>(ioc.get_executor(), log_dir, StopTimings{60s, 5s});
    sup->on_lifecycle([this](const Lifecycle& e) {
      if (e.kind == Lifecycle::ready) ready_events.push_back(e.process.pid());
    });
  }
  void TearDown() override { test::run_co(ioc, sup->shutdown(true)); }

  ProcessSpec helper(std::vector<std::string> actions, const std::string& label) {
    ProcessSpec spec;
    spec.command = {test::kHelper};
    spec.command.insert(spec.command.end(), actions.begin(), actions.end());
    spec.cwd = data.path();
    spec.label = label;
    return spec;
  }
  std::shared_ptr<Instance> start(ProcessSpec spec) {
    auto out = sup->start(std::move(spec));
    EXPECT_EQ(out.error, "");
    return std::dynamic_pointer_cast<Instance>(out.process);
  }
  static std::shared_ptr<const Pattern> pattern(const std::string& text) {
    std::string error;
    auto p = Pattern::compile(text, error);
    EXPECT_TRUE(p) << error;
    return p;
  }
  // Awaits a whole line `text` in p's combined log.
  void await_line(const std::shared_ptr<Process>& p, const std::string& text) {
    std::string line = "Z " + text + "\n";
    bool found = test::run_co(ioc, [&]() -> asio::awaitable<bool> {
      auto deadline = std::chrono::steady_clock::now() + 20s;
      while (test::read_file(p->logs().combined_path).find(line) == std::string::npos) {
        if (p->exited().is_set() || std::chrono::steady_clock::now() >= deadline) co_return false;
        co_await p->appended().wait_until(deadline);
      }
      co_return true;
    }());
    ASSERT_TRUE(found) << "no line '" << text << "' in\n" << test::read_file(p->logs().combined_path);
  }
  bool await_ready(const std::shared_ptr<Instance>& i) { return test::run_co(ioc, i->ready_event().wait_for(20s)); }

  asio::io_context ioc;
  TempDir data;
  std::string log_dir = data.path() + "/logs";
  std::unique_ptr<Supervisor> sup;
  std::vector<int> ready_events;
};

TEST_F(InstanceReadiness, ALineMatchingItsPatternMakesEachInstanceReadyOnce) {
  ProcessSpec spec = helper({"out:booting", "await-usr1:waiting", "out:listening on 5173", "pause"}, "web");
  spec.ready.log_line = pattern("listening on \\d+");
  auto first = start(spec);
  ASSERT_TRUE(first);
  await_line(first, "waiting");
  EXPECT_FALSE(first->ready());
  EXPECT_FALSE(first->ready_ms());
  EXPECT_TRUE(ready_events.empty());
  Millis before = now_ms();
  ::kill(first->pid(), SIGUSR1);
  ASSERT_TRUE(await_ready(first));
  EXPECT_TRUE(first->ready());
  ASSERT_TRUE(first->ready_ms());
  // From its start to the stamp of the matching line, which came after `before`.
  EXPECT_GE(*first->ready_ms(), before - first->start_time());
  EXPECT_LE(*first->ready_ms(), now_ms() - first->start_time());
  EXPECT_EQ(ready_events, std::vector<int>{first->pid()});
  EXPECT_NE(test::read_file(first->logs().combined_path).find("listening on 5173"), std::string::npos);

  // A restart is a new instance: not ready until its own line.
  auto out = test::run_co(ioc, sup->restart(Target{first->pid(), {}, {}, {}}));
  ASSERT_EQ(out.error, "");
  auto second = std::dynamic_pointer_cast<Instance>(out.process);
  ASSERT_TRUE(second);
  EXPECT_FALSE(first->ready());  // ended
  EXPECT_TRUE(first->ready_ms());  // how long it took stays known
  await_line(second, "waiting");
  EXPECT_FALSE(second->ready());
  EXPECT_FALSE(second->ready_ms());
  EXPECT_EQ(ready_events.size(), 1u);
  ::kill(second->pid(), SIGUSR1);
  ASSERT_TRUE(await_ready(second));
  EXPECT_TRUE(second->ready());
  EXPECT_EQ(ready_events, (std::vector<int>{first->pid(), second->pid()}));
  EXPECT_TRUE(second->spec().ready.log_line);  // the spec, with its readiness, is kept
}

TEST_F(InstanceReadiness, ALaterMatchDoesNotAnnounceAgain) {
  ProcessSpec spec = helper({"out:ready 1", "await-usr1:waiting", "out:ready 2", "out:done", "pause"}, "twice");
  spec.ready.log_line = pattern("^ready");
  auto i = start(spec);
  ASSERT_TRUE(await_ready(i));
  await_line(i, "waiting");
  ::kill(i->pid(), SIGUSR1);
  await_line(i, "done");
  EXPECT_EQ(ready_events.size(), 1u);
}

TEST_F(InstanceReadiness, AnExecProbeThatFailsTwiceThenPassesMakesItReady) {
  // The check counts its runs in a file and passes on the third.
  ProcessSpec spec = helper({"out:up", "pause"}, "db");
  ReadinessProbe probe;
  probe.exec = ExecCheck{{"sh", "-c", "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; test $n -ge 3"},
                         data.path()};
  probe.initial_delay = 20ms;
  probe.period = 50ms;
  probe.timeout = 5s;
  spec.ready.probe = probe;
  auto i = start(spec);
  ASSERT_TRUE(i);
  EXPECT_FALSE(i->ready());
  ASSERT_TRUE(await_ready(i));
  EXPECT_TRUE(i->ready());
  EXPECT_EQ(test::read_file(data.path() + "/count"), "3\n");
  // initial_delay, then two failed checks a period apart, then the third.
  ASSERT_TRUE(i->ready_ms());
  EXPECT_GE(*i->ready_ms(), 20 + 2 * 50);
  EXPECT_EQ(ready_events, std::vector<int>{i->pid()});
  EXPECT_EQ(i->probe_pid(), 0);  // no check runs once one passed
}

TEST_F(InstanceReadiness, AProcessThatEndsBeforeItsProbePassesIsNeverReady) {
  ProcessSpec spec = helper({"await-usr1:waiting", "exit:3"}, "short");
  ReadinessProbe probe;
  probe.exec = ExecCheck{{"false"}, data.path()};
  probe.period = 20ms;
  spec.ready.probe = probe;
  auto i = start(spec);
  await_line(i, "waiting");
  ::kill(i->pid(), SIGUSR1);
  ASSERT_TRUE(test::run_co(ioc, i->exited().wait_for(20s)));
  EXPECT_FALSE(i->ready());
  EXPECT_FALSE(i->ready_ms());
  EXPECT_FALSE(i->ready_event().is_set());
  EXPECT_TRUE(ready_events.empty());
}

TEST_F(InstanceReadiness, WithoutReadinessItIsReadyWhileItRuns) {
  auto i = start(helper({"out:up", "pause"}, "plain"));
  ASSERT_TRUE(i);
  EXPECT_TRUE(i->ready());
  EXPECT_TRUE(i->ready_event().is_set());
  EXPECT_FALSE(i->ready_ms());
  auto out = test::run_co(ioc, sup->stop(Target{i->pid(), {}, {}, {}}, false));
  ASSERT_EQ(out.error, "");
  EXPECT_FALSE(i->ready());
  EXPECT_TRUE(ready_events.empty());  // nothing to announce
}

TEST_F(InstanceReadiness, AStopSendsItsStopSignal) {
  ProcessSpec spec = helper({"ready", "pause"}, "interrupted");
  spec.stop_signal = SIGINT;
  auto i = start(spec);
  await_line(i, "ready");
  auto out = test::run_co(ioc, sup->stop(Target{i->pid(), {}, {}, {}}, false));
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(i->exit_code(), -SIGINT);
  EXPECT_EQ(i->status(), Status::terminated);
}

TEST_F(InstanceReadiness, AStopWaitsItsOwnGraceThenKillsAndARestartKeepsBoth) {
  // It prints on SIGINT and runs on; the table's grace is 60 s, its own 100 ms.
  ProcessSpec spec = helper({"int:got INT", "ready", "pause"}, "stubborn");
  spec.stop_signal = SIGINT;
  spec.stop_grace = 100ms;
  auto first = start(spec);
  await_line(first, "ready");
  auto out = test::run_co(ioc, sup->restart(Target{first->pid(), {}, {}, {}}), 30s);
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(first->exit_code(), -SIGKILL);
  ASSERT_TRUE(first->end_time());
  std::string log = test::read_file(first->logs().combined_path);
  EXPECT_NE(log.find("Z got INT\n"), std::string::npos) << log;
  auto second = std::dynamic_pointer_cast<Instance>(out.process);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->spec().stop_signal, SIGINT);
  EXPECT_EQ(second->spec().stop_grace, std::optional<std::chrono::milliseconds>(100ms));
  await_line(second, "ready");
  auto start = std::chrono::steady_clock::now();
  out = test::run_co(ioc, sup->stop(Target{second->pid(), {}, {}, {}}, false), 30s);
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(second->exit_code(), -SIGKILL);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_NE(test::read_file(second->logs().combined_path).find("Z got INT\n"), std::string::npos);
}

TEST_F(InstanceReadiness, AMemberIsFoundByItsNameWhenOneStackHasIt) {
  ProcessSpec web = helper({"pause"}, "shop/web");
  web.member = {"shop", "web", {{"db", "process_ready"}}};
  ProcessSpec db = helper({"pause"}, "shop/db");
  db.member = {"shop", "db", {}};
  auto w = start(web);
  auto d = start(db);
  auto found = sup->find(Target{{}, "web", {}, {}});
  ASSERT_TRUE(found.process) << found.error;
  EXPECT_EQ(found.process, w);
  EXPECT_EQ(sup->find(Target{{}, "db", {}, {}}).process, d);
  // A label still wins, and a name of no stack is not found.
  EXPECT_EQ(sup->find(Target{{}, "shop/web", {}, {}}).process, w);
  auto none = sup->find(Target{{}, "api", {}, {}});
  EXPECT_FALSE(none.process);
  EXPECT_EQ(none.error, "No process found matching 'api'.");

  // An ended member is still found by its name (the crash fallback).
  ASSERT_EQ(test::run_co(ioc, sup->stop(Target{w->pid(), {}, {}, {}}, false)).error, "");
  EXPECT_EQ(sup->find(Target{{}, "web", {}, {}}).process, w);

  // A second stack with a `web`: ambiguous, and the error names the labels.
  ProcessSpec other = helper({"pause"}, "blog/web");
  other.member = {"blog", "web", {}};
  auto o = start(other);
  auto both = sup->find(Target{{}, "web", {}, {}});
  EXPECT_FALSE(both.process);
  EXPECT_EQ(both.error,
            "'web' is a process of several stacks; give its label:\n  'blog/web' (stack blog)\n  'shop/web' (stack shop)");
  EXPECT_EQ(sup->find(Target{{}, "blog/web", {}, {}}).process, o);
}

TEST_F(InstanceReadiness, ARunningMemberWinsOverAnEndedOneOfItsStack) {
  ProcessSpec web = helper({"pause"}, "shop/web");
  web.member = {"shop", "web", {}};
  auto first = start(web);
  auto out = test::run_co(ioc, sup->restart(Target{first->pid(), {}, {}, {}}));
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(sup->find(Target{{}, "web", {}, {}}).process, out.process);
}

TEST_F(InstanceReadiness, TheListsStackFilterKeepsThatStacksMembers) {
  ProcessSpec a = helper({"pause"}, "shop/web");
  a.member = {"shop", "web", {}};
  ProcessSpec b = helper({"pause"}, "blog/web");
  b.member = {"blog", "web", {}};
  auto pa = start(a);
  auto pb = start(b);
  auto plain = start(helper({"pause"}, "alone"));
  Target shop;
  shop.stack = "shop";
  EXPECT_EQ(sup->list(shop), std::vector<std::shared_ptr<Process>>{pa});
  Target nothing;
  nothing.stack = "none";
  EXPECT_TRUE(sup->list(nothing).empty());
  EXPECT_EQ(sup->list(Target{}).size(), 3u);
}

}  // namespace
}  // namespace pp
