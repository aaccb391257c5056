// Crash recovery in-process: a process recorded in state.json is stopped (its whole
// group, SIGKILL after the grace) only when it is provably the recorded one; a
// recycled pid, another boot's record or a live server's file is left alone;
// left-over entries read their old logs; restore starts each again as it was; the
// state file follows the running set.
#include "supervise/recovery.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <future>

#include "os/proc_stat.hpp"
#include "os/process_group.hpp"
#include "supervise/log_reader.hpp"
#include "supervise/state_file.hpp"
#include "supervise/state_keeper.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::TempDir;

class Recovery : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(log_dir);
    sup = std::make_unique<Supervisor>(ioc.get_executor(), log_dir, StopTimings{300ms, 5s});
  }
  void TearDown() override { test::run_co(ioc, sup->shutdown(true)); }

  // Returns once what was posted before it has run and the jobs then given to
  // `workers` (one thread: in order) are done: an exit's state write included.
  void settle() {
    auto barrier = [this]() -> asio::awaitable<void> {
      co_await asio::post(ioc, asio::use_awaitable);
      co_await workers.run(Noop{});
    };
    test::run_co(ioc, barrier());
  }
  struct Noop {
    int operator()() const { return 0; }
  };

  // An entry for `pid` as a server would have recorded it, with one line in its logs.
  SavedProcess recorded(int pid, std::uint64_t ticks, const std::string& line) {
    SavedProcess p;
    p.pid = p.pgid = pid;
    p.start_ticks = ticks;
    p.start_time = now_ms();
    p.spec.command = {test::kHelper, "ready", "pause"};
    p.spec.cwd = data.path();
    p.spec.env = {{"GREETING", "hello"}};
    p.spec.label = "helper " + std::to_string(pid);
    p.logs = log_paths_for(log_dir, pid, p.spec.command);
    std::ofstream(p.logs.combined_path) << "2025-07-06T14:30:21.123Z " << line << "\n";
    std::ofstream(p.logs.stdout_path) << "2025-07-06T14:30:21.123Z " << line << "\n";
    std::ofstream(p.logs.stderr_path);
    return p;
  }
  void write(std::vector<SavedProcess> procs, int server_pid = 0, std::uint64_t server_ticks = 0) {
    SavedState s;
    s.server_pid = server_pid;
    s.server_start_ticks = server_ticks;
    s.boot_id = current_boot_id();
    s.processes = std::move(procs);
    ASSERT_EQ(write_state(state_path, s), "");
  }
  RecoveryReport recover(bool restore = false) {
    RecoveryOptions o;
    o.state_path = state_path;
    o.restore = restore;
    return test::run_co(ioc, recover_left_overs(*sup, o));
  }
  std::shared_ptr<Process> entry(int pid) {
    Target t;
    t.pid = pid;
    return sup->find(t).process;
  }

  asio::io_context ioc;
  WorkerPool workers{1};
  TempDir data;
  std::string log_dir = data.path() + "/process_logs";
  std::string state_path = data.path() + "/state.json";
  std::unique_ptr<Supervisor> sup;
};

TEST_F(Recovery, StopsTheRecordedProcessGroupAndListsItTerminatedWithItsOldLog) {
  test::SessionChild child({"fork:1", "ready", "pause"});
  ASSERT_TRUE(child.await_line("ready"));
  auto ticks = process_start_ticks(child.pid());
  ASSERT_TRUE(ticks);
  write({recorded(child.pid(), *ticks, "old words")});
  auto report = recover();
  EXPECT_EQ(report.stopped, 1);
  EXPECT_TRUE(test::await_pid_exit(child.pid()));
  EXPECT_TRUE(group_members(child.pid()).empty());  // the grandchild too

  auto e = entry(child.pid());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status(), Status::terminated);
  EXPECT_NE(e->note().find("left over"), std::string::npos) << e->note();
  EXPECT_FALSE(e->group_alive());
  ReadQuery q;
  auto out = e->read(Stream::out, q);
  ASSERT_EQ(out.lines.size(), 1u) << out.error;
  EXPECT_NE(out.lines[0].find("old words"), std::string::npos);
}

TEST_F(Recovery, ATermIgnoringGroupGetsSigkillAfterTheGrace) {
  test::SessionChild child({"ignore-term", "ready", "pause"});
  ASSERT_TRUE(child.await_line("ready"));
  write({recorded(child.pid(), *process_start_ticks(child.pid()), "x")});
  auto report = recover();
  EXPECT_EQ(report.stopped, 1);
  EXPECT_TRUE(test::await_pid_exit(child.pid()));
}

TEST_F(Recovery, ARecycledPidOrAnotherBootIsNeverSignalled) {
  test::SessionChild recycled({"ready", "pause"}), other_boot({"ready", "pause"});
  ASSERT_TRUE(recycled.await_line("ready"));
  ASSERT_TRUE(other_boot.await_line("ready"));
  SavedState s;
  s.boot_id = current_boot_id();
  s.processes = {recorded(recycled.pid(), *process_start_ticks(recycled.pid()) + 1, "a")};
  ASSERT_EQ(write_state(state_path, s), "");
  auto report = recover();
  EXPECT_EQ(report.recycled, 1);
  EXPECT_TRUE(test::pid_alive(recycled.pid()));
  auto e = entry(recycled.pid());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status(), Status::terminated);
  EXPECT_NE(e->note().find("left alone"), std::string::npos) << e->note();
  // The left-over entry never reaches the live group that now has its pid: it has
  // no stop of its own (a LeftOver is no Instance), the table's stop refuses it,
  // and shutdown passes it by.
  Target by_pid;
  by_pid.pid = recycled.pid();
  EXPECT_NE(test::run_co(ioc, sup->stop(by_pid, false)).error, "");
  test::run_co(ioc, sup->shutdown(false));
  EXPECT_TRUE(test::pid_alive(recycled.pid()));

  // Right start ticks, but recorded during another boot.
  Recovery::TearDown();
  sup = std::make_unique<Supervisor>(ioc.get_executor(), log_dir, StopTimings{300ms, 5s});
  s.boot_id = "another-boot";
  s.processes = {recorded(other_boot.pid(), *process_start_ticks(other_boot.pid()), "b")};
  ASSERT_EQ(write_state(state_path, s), "");
  report = recover();
  EXPECT_EQ(report.recycled, 1);
  EXPECT_TRUE(test::pid_alive(other_boot.pid()));
}

TEST_F(Recovery, AFileOfALiveServerIsLeftAlone) {
  test::SessionChild server({"ready", "pause"}), managed({"ready", "pause"});
  ASSERT_TRUE(server.await_line("ready"));
  ASSERT_TRUE(managed.await_line("ready"));
  write({recorded(managed.pid(), *process_start_ticks(managed.pid()), "x")}, server.pid(),
        *process_start_ticks(server.pid()));
  auto report = recover();
  EXPECT_TRUE(report.other_server);
  EXPECT_TRUE(test::pid_alive(managed.pid()));
  Target everything;
  EXPECT_TRUE(sup->list(everything).empty());
}

TEST_F(Recovery, RestoreStartsEachAgainWithItsCommandCwdEnvironmentAndLabel) {
  test::SessionChild child({"ready", "pause"});
  ASSERT_TRUE(child.await_line("ready"));
  SavedProcess p = recorded(child.pid(), *process_start_ticks(child.pid()), "x");
  p.spec.command = {test::kHelper, "env:GREETING", "pwd", "exit:0"};
  write({p});
  auto report = recover(true);
  EXPECT_EQ(report.stopped, 1);
  EXPECT_EQ(report.restored, 1);
  EXPECT_TRUE(test::await_pid_exit(child.pid()));
  Target by_label;
  by_label.command_or_label = p.spec.label;
  auto fresh = sup->find(by_label).process;
  ASSERT_TRUE(fresh);
  EXPECT_NE(fresh->pid(), child.pid());
  EXPECT_EQ(fresh->spec().cwd, p.spec.cwd);
  EXPECT_EQ(fresh->spec().env, p.spec.env);
  test::run_co(ioc, fresh->exited().wait());
  EXPECT_EQ(fresh->exit_code(), 0);
  std::string out = test::read_file(fresh->logs().stdout_path);
  EXPECT_NE(out.find(" GREETING=hello\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" " + data.path() + "\n"), std::string::npos) << out;
}

TEST_F(Recovery, RestoreKeepsTheRestartPolicy) {
  test::SessionChild child({"ready", "pause"});
  ASSERT_TRUE(child.await_line("ready"));
  SavedProcess p = recorded(child.pid(), *process_start_ticks(child.pid()), "x");
  p.spec.restart = {RestartPolicy::Mode::always, 3, 250ms};
  write({p});
  auto report = recover(true);
  EXPECT_EQ(report.restored, 1);
  Target by_label;
  by_label.command_or_label = p.spec.label;
  auto fresh = sup->find(by_label).process;
  ASSERT_TRUE(fresh);
  EXPECT_NE(fresh->pid(), child.pid());
  EXPECT_EQ(fresh->spec().restart.mode, RestartPolicy::Mode::always);
  EXPECT_EQ(fresh->spec().restart.max_restarts, 3);
  EXPECT_EQ(fresh->spec().restart.backoff, 250ms);
}

// A stack member: stopped with its own signal and grace, restored with its place in
// the stack, its readiness (the new instance becomes ready by it) and stop settings.
TEST_F(Recovery, RestoreKeepsAStackMembersSettingsAndStopsWithItsSignal) {
  test::SessionChild child({"int:got INT", "ready", "pause"});
  ASSERT_TRUE(child.await_line("ready"));
  SavedProcess p = recorded(child.pid(), *process_start_ticks(child.pid()), "x");
  p.spec.member = {"shop", "web", {{"db", "process_ready"}}};
  std::string error;
  p.spec.ready.log_line = Pattern::compile("^ready$", error);
  p.spec.stop_signal = SIGINT;
  p.spec.stop_grace = 100ms;
  write({p});
  auto report = recover(true);
  EXPECT_EQ(report.stopped, 1);
  EXPECT_TRUE(child.await_line("got INT"));  // SIGINT, not SIGTERM; SIGKILL after its 100 ms
  EXPECT_TRUE(test::await_pid_exit(child.pid()));
  EXPECT_EQ(report.restored, 1);
  Target by_label;
  by_label.command_or_label = p.spec.label;
  auto fresh = std::dynamic_pointer_cast<Instance>(sup->find(by_label).process);
  ASSERT_TRUE(fresh);
  EXPECT_NE(fresh->pid(), child.pid());
  EXPECT_EQ(fresh->spec().member.stack, "shop");
  EXPECT_EQ(fresh->spec().member.name, "web");
  ASSERT_EQ(fresh->spec().member.depends_on.size(), 1u);
  EXPECT_EQ(fresh->spec().member.depends_on[0].condition, "process_ready");
  EXPECT_EQ(fresh->spec().stop_signal, SIGINT);
  EXPECT_EQ(fresh->spec().stop_grace, std::optional<std::chrono::milliseconds>(100ms));
  ASSERT_TRUE(test::run_co(ioc, fresh->ready_event().wait_for(20s)));
  EXPECT_TRUE(fresh->ready());
  EXPECT_TRUE(fresh->ready_ms());
}

// One that ended and waits for its policy's restart is still supervised: recorded
// (so --restore starts it), until shutdown ends the wait.
TEST_F(Recovery, KeepStateFileRecordsAProcessWaitingForItsPolicysRestart) {
  keep_state_file(*sup, state_path, workers);
  ProcessSpec spec{{test::kHelper, "exit:1"}, data.path(), {}, "crasher"};
  spec.restart = {RestartPolicy::Mode::on_failure, 5, 30s};
  auto started = sup->start(spec);
  ASSERT_TRUE(started.process) << started.error;
  test::run_co(ioc, started.process->exited().wait());
  ASSERT_TRUE(started.process->restart_due());
  auto waiting = read_state(state_path);
  ASSERT_TRUE(waiting.state);
  ASSERT_EQ(waiting.state->processes.size(), 1u);
  EXPECT_EQ(waiting.state->processes[0].pid, started.process->pid());
  EXPECT_EQ(waiting.state->processes[0].spec.restart.mode, RestartPolicy::Mode::on_failure);
  EXPECT_EQ(waiting.state->processes[0].spec.restart.backoff, 30s);

  test::run_co(ioc, sup->shutdown(false));
  EXPECT_FALSE(started.process->restart_due());
  auto none = read_state(state_path);
  ASSERT_TRUE(none.state);
  EXPECT_TRUE(none.state->processes.empty());
}

TEST_F(Recovery, KeepStateFileRecordsRunningProcessesAndForgetsEndedOnes) {
  keep_state_file(*sup, state_path, workers);
  auto empty = read_state(state_path);
  ASSERT_TRUE(empty.state);
  EXPECT_EQ(empty.state->server_pid, static_cast<int>(::getpid()));
  EXPECT_TRUE(empty.state->processes.empty());

  ProcessSpec spec{{test::kHelper, "pause"}, data.path(), {{"K", "v"}}, "napper"};
  auto started = sup->start(spec);
  ASSERT_TRUE(started.process) << started.error;
  auto one = read_state(state_path);
  ASSERT_TRUE(one.state);
  ASSERT_EQ(one.state->processes.size(), 1u);
  const auto& rec = one.state->processes[0];
  EXPECT_EQ(rec.pid, started.process->pid());
  EXPECT_EQ(rec.pgid, started.process->pid());
  EXPECT_EQ(rec.start_ticks, process_start_ticks(started.process->pid()));
  EXPECT_EQ(rec.spec.label, "napper");
  EXPECT_EQ(rec.spec.env, spec.env);
  EXPECT_EQ(rec.logs.combined_path, started.process->logs().combined_path);

  test::run_co(ioc, sup->shutdown(false));
  auto none = read_state(state_path);
  ASSERT_TRUE(none.state);
  EXPECT_TRUE(none.state->processes.empty());
}

TEST_F(Recovery, OneThatHadAlreadyExitedIsListedWithoutSignallingAnyone) {
  int pid;
  std::uint64_t ticks;
  {
    test::SessionChild child({"ready", "pause"});
    ASSERT_TRUE(child.await_line("ready"));
    pid = child.pid();
    ticks = *process_start_ticks(pid);
  }  // killed and reaped here: its pid is free (pids are handed out in turn, so not reused this soon)
  write({recorded(pid, ticks, "last words")});
  auto report = recover();
  EXPECT_EQ(report.gone, 1);
  EXPECT_EQ(report.stopped + report.recycled + report.not_stopped, 0);
  auto e = entry(pid);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status(), Status::terminated);
  EXPECT_NE(e->note().find("it had already exited"), std::string::npos) << e->note();
  ReadQuery q;
  auto out = e->read(Stream::combined, q);
  ASSERT_EQ(out.lines.size(), 1u) << out.error;
  EXPECT_NE(out.lines[0].find("last words"), std::string::npos);
}

TEST_F(Recovery, KeepStateFileCatchesUpOnceTheFileCanBeWrittenAgain) {
  std::filesystem::create_directory(state_path);  // in the way: every write fails
  keep_state_file(*sup, state_path, workers);
  ProcessSpec spec{{test::kHelper, "pause"}, data.path(), {}, "first"};
  auto first = sup->start(spec);
  ASSERT_TRUE(first.process) << first.error;
  EXPECT_FALSE(read_state(state_path).state);
  std::filesystem::remove(state_path);
  // The next change writes the whole running set, the earlier process included.
  spec.label = "second";
  auto second = sup->start(spec);
  ASSERT_TRUE(second.process) << second.error;
  auto now = read_state(state_path);
  ASSERT_TRUE(now.state);
  ASSERT_EQ(now.state->processes.size(), 2u);
  EXPECT_EQ(now.state->processes[0].spec.label, "first");
  EXPECT_EQ(now.state->processes[1].spec.label, "second");
  for (const auto& e : std::filesystem::directory_iterator(data.path()))  // no temporary file left behind
    EXPECT_EQ(e.path().filename().string().find("state.json."), std::string::npos) << e.path();
}

// An exit's record is written after the exit is told (its notification does not
// wait for the file) and off the I/O thread, and it is written.
TEST_F(Recovery, KeepStateFileWritesAnExitAfterTheExitIsTold) {
  keep_state_file(*sup, state_path, workers);
  ProcessSpec spec{{test::kHelper, "ready", "pause"}, data.path(), {}, "short"};
  auto started = sup->start(spec);
  ASSERT_TRUE(started.process) << started.error;
  int pid = started.process->pid();
  std::optional<std::size_t> listed_when_told;
  // What the exit sets going runs after it, as a notification's write does.
  sup->on_lifecycle([&](const Lifecycle& e) {
    if (e.kind == Lifecycle::exited)
      asio::post(ioc, [&] { listed_when_told = read_state(state_path).state->processes.size(); });
  });
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  test::run_co(ioc, started.process->exited().wait());
  settle();
  ASSERT_TRUE(listed_when_told);
  EXPECT_EQ(*listed_when_told, 1u);  // not yet rewritten when the exit was told
  auto after = read_state(state_path);
  ASSERT_TRUE(after.state);
  EXPECT_TRUE(after.state->processes.empty());
}

// An exit's write waiting behind other work never replaces a start's record
// written after it: the file does not go back to an older table.
TEST_F(Recovery, KeepStateFileNeverGoesBackToAnOlderTable) {
  keep_state_file(*sup, state_path, workers);
  std::promise<void> release;
  struct Blocker {
    std::shared_future<void> until;
    int operator()() const {
      until.wait();
      return 0;
    }
  };
  auto block = [this](Blocker b) -> asio::awaitable<void> { co_await workers.run(std::move(b)); };
  asio::co_spawn(ioc, block(Blocker{release.get_future().share()}), asio::detached);

  ProcessSpec spec{{test::kHelper, "exit:0"}, data.path(), {}, "first"};
  auto first = sup->start(spec);
  ASSERT_TRUE(first.process) << first.error;
  test::run_co(ioc, first.process->exited().wait());
  test::run_co(ioc, [this]() -> asio::awaitable<void> { co_await asio::post(ioc, asio::use_awaitable); }());
  // The exit's snapshot (no process running) is taken and waits behind the blocker.
  spec = {{test::kHelper, "pause"}, data.path(), {}, "second"};
  auto second = sup->start(spec);
  ASSERT_TRUE(second.process) << second.error;
  release.set_value();
  settle();
  auto now = read_state(state_path);
  ASSERT_TRUE(now.state);
  ASSERT_EQ(now.state->processes.size(), 1u);
  EXPECT_EQ(now.state->processes[0].spec.label, "second");
}

// A record's kept text is made again when its terminal is resized: the file has
// the new size at once, which --restore gives the process back.
TEST_F(Recovery, KeepStateFileRecordsANewTerminalSize) {
  keep_state_file(*sup, state_path, workers);
  ProcessSpec spec{{test::kHelper, "pause"}, data.path(), {}, "tui"};
  spec.tty = true;
  spec.columns = 80;
  spec.rows = 24;
  auto started = sup->start(spec);
  ASSERT_TRUE(started.process) << started.error;
  auto before = read_state(state_path);
  ASSERT_TRUE(before.state);
  ASSERT_EQ(before.state->processes.size(), 1u);
  EXPECT_EQ(before.state->processes[0].spec.columns, 80);
  Target t;
  t.pid = started.process->pid();
  EXPECT_EQ(sup->resize(t, 132, 43).error, "");
  auto after = read_state(state_path);
  ASSERT_TRUE(after.state);
  ASSERT_EQ(after.state->processes.size(), 1u);
  EXPECT_EQ(after.state->processes[0].spec.columns, 132);
  EXPECT_EQ(after.state->processes[0].spec.rows, 43);
}

}  // namespace
}  // namespace pp
