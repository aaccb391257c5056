// Surviving the server's own crash, end to end: a server is SIGKILLed with children
// running; the next one on the same data dir stops them (or with --restore starts
// them again) before its readiness line, lists them as left over, and serves their
// old logs; a recycled pid is never signalled; a bad state.json only warns.
// Every wait is on the readiness line, a pipe, a pidfd or a file.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "os/proc_stat.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;

json::object parse(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  boost::system::error_code ec;
  auto v = json::parse(r.out, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << r.out << r.err;
    return {};
  }
  return v.as_object();
}

int pid_of(const json::object& o) { return static_cast<int>(o.at("pid").as_int64()); }
std::string str(const json::object& o, const char* k) { return std::string(o.at(k).as_string()); }

std::map<int, json::object> listed(const Server& s) {
  std::map<int, json::object> out;
  json::object r = parse(s.cli({"list", "--format", "json"}));
  for (const auto& p : r.at("processes").as_array())
    out[pid_of(p.as_object())] = p.as_object();
  return out;
}

class CrashRecovery : public ::testing::Test {
 protected:
  // Starts the helper with `actions` in the first server; returns the start result
  // once its combined log holds `ready`.
  json::object start(Server& s, std::vector<std::string> args) {
    std::vector<std::string> argv = {"start", "--format", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto st = parse(s.cli(argv));
    EXPECT_TRUE(await_file_contains(str(st, "log_combined"), " ready\n"));
    return st;
  }

  TempDir data;
};

TEST_F(CrashRecovery, TheNextServerStopsLeftOverGroupsAndListsThemWithTheirOldLogs) {
  json::object a, b;
  int grandchild = 0;
  {
    Server first(Server::OnDataDir(data), {"-q"});
    a = start(first, {"--label", "alpha", kHelper, "out:words of alpha", "fork:1", "ready", "pause"});
    b = start(first, {kHelper, "out:words of beta", "ready", "pause"});
    ASSERT_TRUE(await_file_contains(str(a, "log_combined"), " grandchild "));  // it prints on its own time
    std::string log = read_file(str(a, "log_combined"));
    auto at = log.find("grandchild ");
    ASSERT_NE(at, std::string::npos) << log;
    grandchild = std::atoi(log.c_str() + at + 11);
    first.crash();
  }
  ASSERT_TRUE(pid_alive(pid_of(a)));  // a crash stops nothing by itself
  ASSERT_TRUE(pid_alive(pid_of(b)));
  ASSERT_TRUE(pid_alive(grandchild));

  Server second(Server::OnDataDir(data), {"-q"});
  // Recovery is over before the readiness line: the groups are gone (or going).
  EXPECT_TRUE(await_pid_exit(pid_of(a)));
  EXPECT_TRUE(await_pid_exit(pid_of(b)));
  EXPECT_TRUE(await_pid_exit(grandchild));

  auto procs = listed(second);
  ASSERT_EQ(procs.size(), 2u);
  for (const auto* st : {&a, &b}) {
    const auto& p = procs.at(pid_of(*st));
    EXPECT_EQ(str(p, "status"), "terminated");
    EXPECT_EQ(str(p, "label"), str(*st, "label"));
    EXPECT_EQ(str(p, "log_combined"), str(*st, "log_combined"));
    ASSERT_TRUE(p.at("note").is_string());
    EXPECT_NE(str(p, "note").find("left over"), std::string::npos) << str(p, "note");
    EXPECT_NE(str(p, "note").find("stopped"), std::string::npos) << str(p, "note");
  }
  auto text = second.cli({"list", "--long"});
  EXPECT_NE(text.out.find("PID " + std::to_string(pid_of(a)) + ": alpha (terminated)"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  Note: left over by a server"), std::string::npos) << text.out;

  // Their old logs are still read by pid, and by label (the most recently ended match).
  auto out = second.cli({"output", std::to_string(pid_of(b))});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find(" words of beta\n"), std::string::npos) << out.out;
  out = second.cli({"output", "--stream", "stdout", "alpha"});
  EXPECT_NE(out.out.find(" words of alpha\n"), std::string::npos) << out.out;

  // The new server recorded itself, with nothing running.
  auto state = json::parse(read_file(data.path() + "/state.json")).as_object();
  EXPECT_EQ(state.at("server_pid").as_int64(), second.pid());
  EXPECT_TRUE(state.at("processes").as_array().empty());
}

TEST_F(CrashRecovery, RestoreStartsThemAgainWithTheirLabelCwdAndEnvironment) {
  TempDir work;
  json::object old;
  {
    Server first(Server::OnDataDir(data), {"-q"});
    old = start(first, {"--label", "web", "--working-directory", work.path(), "--environment",
                        R"({"GREETING": "hello from before"})", kHelper, "env:GREETING", "pwd", "ready", "pause"});
    first.crash();
  }
  ASSERT_TRUE(pid_alive(pid_of(old)));

  Server second(Server::OnDataDir(data), {"-q", "--restore"});
  EXPECT_TRUE(await_pid_exit(pid_of(old)));
  auto procs = listed(second);
  ASSERT_EQ(procs.size(), 2u);
  EXPECT_EQ(str(procs.at(pid_of(old)), "status"), "terminated");
  EXPECT_NE(str(procs.at(pid_of(old)), "note").find("left over"), std::string::npos);
  json::object fresh;
  for (const auto& [pid, p] : procs)
    if (pid != pid_of(old)) fresh = p;
  ASSERT_FALSE(fresh.empty());
  EXPECT_EQ(str(fresh, "status"), "running");
  EXPECT_EQ(str(fresh, "label"), "web");
  EXPECT_EQ(str(fresh, "working_directory"), work.path());
  EXPECT_TRUE(fresh.at("note").is_null());
  EXPECT_NE(str(fresh, "log_combined"), str(old, "log_combined"));
  ASSERT_TRUE(await_file_contains(str(fresh, "log_combined"), " ready\n"));
  auto out = second.cli({"output", "--stream", "stdout", "web"});  // the running one
  EXPECT_NE(out.out.find(" GREETING=hello from before\n"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find(" " + work.path() + "\n"), std::string::npos) << out.out;

  // The state file now names the new process, which a clean shutdown then stops.
  auto state = json::parse(read_file(data.path() + "/state.json")).as_object();
  ASSERT_EQ(state.at("processes").as_array().size(), 1u);
  EXPECT_EQ(pid_of(state.at("processes").as_array()[0].as_object()), pid_of(fresh));
  EXPECT_EQ(second.terminate(), 0);
  EXPECT_TRUE(await_pid_exit(pid_of(fresh)));
  state = json::parse(read_file(data.path() + "/state.json")).as_object();
  EXPECT_TRUE(state.at("processes").as_array().empty());
}

TEST_F(CrashRecovery, RestoreKeepsTheTerminalAndItsSize) {
  {
    Server first(Server::OnDataDir(data), {"-q"});
    start(first, {"--label", "tui", "--tty", "--columns", "77", "--rows", "22", kHelper, "ready", "pause"});
    first.crash();
  }
  Server second(Server::OnDataDir(data), {"-q", "--restore"});
  json::object fresh;
  for (const auto& [pid, p] : listed(second))
    if (str(p, "status") == "running") fresh = p;
  ASSERT_FALSE(fresh.empty());
  EXPECT_TRUE(fresh.at("tty").as_bool());
  EXPECT_TRUE(fresh.at("log_tty").is_string());
  auto state = json::parse(read_file(data.path() + "/state.json")).as_object();
  auto saved = state.at("processes").as_array().at(0).as_object();
  EXPECT_TRUE(saved.at("tty").as_bool());
  EXPECT_EQ(saved.at("columns").as_int64(), 77);
  EXPECT_EQ(saved.at("rows").as_int64(), 22);
}

TEST_F(CrashRecovery, RestoreKeepsTheRestartPolicy) {
  {
    Server first(Server::OnDataDir(data), {"-q"});
    start(first, {"--label", "kept", "--restart", "on-failure", "--max-restarts", "7", "--backoff", "2.5", kHelper,
                  "ready", "pause"});
    first.crash();
  }
  Server second(Server::OnDataDir(data), {"-q", "--restore"});
  json::object fresh;
  for (const auto& [pid, p] : listed(second))
    if (str(p, "status") == "running") fresh = p;
  ASSERT_FALSE(fresh.empty());
  EXPECT_EQ(str(fresh, "restart"), "on-failure");
  auto state = json::parse(read_file(data.path() + "/state.json")).as_object();
  auto saved = state.at("processes").as_array().at(0).as_object();
  EXPECT_EQ(str(saved, "restart"), "on-failure");
  EXPECT_EQ(saved.at("max_restarts").as_int64(), 7);
  EXPECT_EQ(saved.at("backoff").to_number<double>(), 2.5);
}

// Issue reproduction: a crashed server its parent had not reaped yet (a zombie)
// was taken to "still run", so --restore left its processes running, untracked.
TEST_F(CrashRecovery, AZombieServerCountsAsEnded) {
  Server first(Server::OnDataDir(data), {"-q"});
  json::object old = start(first, {"--label", "web", kHelper, "ready", "pause"});
  first.crash_unreaped();
  ASSERT_FALSE(process_is_live(first.pid()));
  ASSERT_TRUE(pid_alive(pid_of(old)));

  Server second(Server::OnDataDir(data), {"-q", "--restore"});
  EXPECT_TRUE(await_pid_exit(pid_of(old)));
  auto procs = listed(second);
  ASSERT_EQ(procs.size(), 2u);
  EXPECT_EQ(str(procs.at(pid_of(old)), "status"), "terminated");
  for (const auto& [pid, p] : procs) {
    if (pid != pid_of(old)) {
      EXPECT_EQ(str(p, "status"), "running");
    }
  }
}

TEST_F(CrashRecovery, ARecycledPidIsNeverSignalled) {
  // A live process of this test, in a group of its own, named in a state file with
  // a start time that is not its own: as if its pid had been reused.
  SessionChild stranger({"ready", "pause"});
  ASSERT_TRUE(stranger.await_line("ready"));
  auto ticks = process_start_ticks(stranger.pid());
  ASSERT_TRUE(ticks);
  std::string logs = data.path() + "/process_logs";
  std::filesystem::create_directories(logs);
  std::string combined = logs + "/" + std::to_string(stranger.pid()) + ".x.combined";
  std::ofstream(combined) << "2025-07-06T14:30:21.123Z an old line\n";
  json::object entry{{"pid", stranger.pid()},
                     {"pgid", stranger.pid()},
                     {"start_ticks", *ticks + 7},
                     {"start_time", "2025-07-06T14:30:21.000Z"},
                     {"command", json::array{kHelper, "pause"}},
                     {"working_directory", data.path()},
                     {"environment", json::object{}},
                     {"label", "stranger"},
                     {"log_stdout", logs + "/x.stdout"},
                     {"log_stderr", logs + "/x.stderr"},
                     {"log_combined", combined},
                     {"restarts", 0}};
  json::object state{{"version", 1},
                     {"server_pid", 0},
                     {"server_start_ticks", 0},
                     {"boot_id", current_boot_id()},
                     {"processes", json::array{entry}}};
  std::ofstream(data.path() + "/state.json") << json::serialize(state);

  for (const char* flag : {"-q", "--restore"}) {
    Server s(Server::OnDataDir(data), {"-q", flag});
    EXPECT_TRUE(pid_alive(stranger.pid())) << flag;
    auto procs = listed(s);
    ASSERT_EQ(procs.count(stranger.pid()), 1u) << flag;
    const auto& p = procs.at(stranger.pid());
    EXPECT_EQ(str(p, "status"), "terminated");
    EXPECT_NE(str(p, "note").find("left alone"), std::string::npos) << str(p, "note");
    auto out = s.cli({"output", std::to_string(stranger.pid())});
    EXPECT_NE(out.out.find(" an old line\n"), std::string::npos) << out.out;
    // Nor does a clean shutdown of that server touch it.
    EXPECT_EQ(s.terminate(), 0);
    EXPECT_TRUE(pid_alive(stranger.pid())) << flag;
    std::ofstream(data.path() + "/state.json", std::ios::trunc) << json::serialize(state);
  }
}

TEST_F(CrashRecovery, ACorruptOrUnreadableStateFileOnlyWarns) {
  std::ofstream(data.path() + "/state.json") << "{\"version\": 1, \"processes\": [";
  {
    Server s(Server::OnDataDir(data), {});
    EXPECT_NE(s.read_stderr().find("state.json is not JSON"), std::string::npos);
    EXPECT_EQ(s.cli({"list"}).exit_code, 0);
    // Replaced by a good one as soon as the server runs.
    auto state = json::parse(read_file(data.path() + "/state.json")).as_object();
    EXPECT_EQ(state.at("server_pid").as_int64(), s.pid());
  }
  std::filesystem::remove(data.path() + "/state.json");
  std::filesystem::create_directory(data.path() + "/state.json");
  Server s(Server::OnDataDir(data), {});
  std::string err = s.read_stderr();
  EXPECT_NE(err.find("cannot read " + data.path() + "/state.json"), std::string::npos) << err;
  EXPECT_NE(err.find("cannot write " + data.path() + "/state.json"), std::string::npos) << err;
  auto st = parse(s.cli({"start", "--format", "json", kHelper, "ready", "pause"}));
  EXPECT_EQ(str(st, "label").empty(), false);
}

}  // namespace
}  // namespace pp::test
