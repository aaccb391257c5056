// Restart policies over MCP (docs/mcp.md#restart-policies): a crash restarted after
// its backoff, a clean exit under `always`, none under `on-failure`, giving up at
// max_restarts with a note, never after a stop (also one during the wait), a
// restart on request keeping the policy, shutdown ending a wait, list's fields and
// the invalid arguments. Every step awaits a notification or an exit.
#include <algorithm>
#include <functional>

#include "core/system_lines.hpp"
#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

class RestartPolicies : public McpFixture {
 protected:
  void SetUp() override {
    McpFixture::SetUp();
    mcp::RequestHeaders h;
    h.session_id = session;
    stream = server->open_stream(h, ioc.get_executor()).stream;
    ASSERT_TRUE(stream);
  }

  // The first notification not returned before that `match` takes, bounded at 20 s.
  // Looking and waiting happen in one coroutine on the io_context, so no
  // notification can come between them and go unnoticed.
  json::object await_event(const std::function<bool(const json::object&)>& match, const std::string& what) {
    auto found = run_co(ioc, [&]() -> boost::asio::awaitable<std::optional<json::object>> {
      auto deadline = std::chrono::steady_clock::now() + 20s;
      for (;;) {
        drain();
        returned.resize(seen.size(), false);
        for (std::size_t i = 0; i < seen.size(); ++i)
          if (!returned[i] && match(seen[i])) {
            returned[i] = true;
            co_return seen[i];
          }
        if (std::chrono::steady_clock::now() >= deadline) co_return std::nullopt;
        co_await stream->wake.wait_until(deadline);
      }
    }());
    if (!found) ADD_FAILURE() << "no " << what << " event";
    return found.value_or(json::object{});
  }
  json::object await_event(const std::string& kind, int pid) {
    const char* key = kind == "restarted" ? "previous_pid" : "pid";
    return await_event(
        [&](const json::object& e) {
          return e.at("event") == kind && e.at(key).is_int64() && e.at(key).as_int64() == pid;
        },
        kind + " of " + std::to_string(pid));
  }
  void drain() {
    for (const auto& m : stream->pending) {
      auto msg = json::parse(m).as_object();
      seen.push_back(msg.at("params").at("data").as_object());
    }
    stream->pending.clear();
  }
  // Every event of `kind` so far (notifications are queued as the table acts, so
  // what has happened is in the queue).
  std::size_t count_events(const std::string& kind) {
    drain();
    return static_cast<std::size_t>(
        std::count_if(seen.begin(), seen.end(), [&](const json::object& e) { return e.at("event") == kind; }));
  }
  json::array list_label(const std::string& label) {
    return call("list", {{"command_or_label", label}}).at("processes").as_array();
  }
  static const json::object& with_pid(const json::array& entries, int pid) {
    for (const auto& e : entries)
      if (e.at("pid").as_int64() == pid) return e.as_object();
    throw std::runtime_error("no entry with PID " + std::to_string(pid));
  }
  static int pid_of(const json::object& o) { return static_cast<int>(o.at("pid").as_int64()); }

  std::shared_ptr<mcp::EventStream> stream;
  std::vector<json::object> seen;
  std::vector<bool> returned;  // by await_event, of `seen`
};

TEST_F(RestartPolicies, OnFailureRestartsACrashAfterItsBackoffThenGivesUpAtMaxRestarts) {
  int first = start_helper({"out:up", "exit:3"},
                           {{"label", "crasher"}, {"restart", "on-failure"}, {"max_restarts", 1}, {"backoff", 0.2}});
  auto exited = await_event("exited", first);
  EXPECT_EQ(exited.at("restarting"), json::value(true));
  ASSERT_TRUE(exited.at("next_restart_in_s").is_double()) << json::serialize(exited);
  EXPECT_GT(exited.at("next_restart_in_s").as_double(), 0.0);
  EXPECT_LE(exited.at("next_restart_in_s").as_double(), 0.2);

  auto restarted = await_event("restarted", first);
  EXPECT_EQ(restarted.at("reason"), std::string("policy"));
  EXPECT_EQ(restarted.at("label"), std::string("crasher"));
  int second = pid_of(restarted);
  auto old = instance(first), fresh = instance(second);
  ASSERT_TRUE(old && fresh);
  // The backoff's timer ran between the two.
  EXPECT_GE(fresh->start_time() - *old->end_time(), 200);
  EXPECT_EQ(fresh->restarts(), 1);
  EXPECT_EQ(fresh->spec().command, old->spec().command);
  EXPECT_NE(fresh->logs().combined_path, old->logs().combined_path);
  std::string old_log = combined(first);
  EXPECT_NE(old_log.find("Process exited with code 3; restarting\n"), std::string::npos) << old_log;
  EXPECT_NE(old_log.find(restarted_text(second, fresh->logs().combined_path)), std::string::npos) << old_log;

  // One restart in a row is all it may have: the second crash is the last.
  auto last = await_event("exited", second);
  EXPECT_EQ(last.at("restarting"), json::value(false));
  EXPECT_FALSE(last.contains("next_restart_in_s"));
  auto entries = list_label("crasher");
  ASSERT_EQ(entries.size(), 2u) << json::serialize(entries);
  const auto& e = with_pid(entries, second);
  EXPECT_EQ(e.at("status"), std::string("exited"));
  EXPECT_EQ(e.at("exit_code").as_int64(), 3);
  EXPECT_EQ(e.at("restarts").as_int64(), 1);
  EXPECT_EQ(e.at("restart"), std::string("on-failure"));
  EXPECT_TRUE(e.at("next_restart_in_s").is_null());
  ASSERT_TRUE(e.at("note").is_string()) << json::serialize(e);
  EXPECT_EQ(e.at("note"), std::string("not restarted: its restart policy (on-failure) reached max_restarts, 1 "
                                      "restarts in a row, none of them up for 60 s"));
  EXPECT_TRUE(with_pid(entries, first).at("note").is_null());
}

TEST_F(RestartPolicies, AlwaysRestartsACleanExitKeepingLabelDirectoryEnvironmentAndTty) {
  TempDir where;
  int first = start_helper({"env:GREETING", "pwd", "exit:0"}, {{"label", "svc"},
                                                               {"working_directory", where.path()},
                                                               {"environment", {{"GREETING", "hi"}}},
                                                               {"tty", true},
                                                               {"restart", "always"},
                                                               {"max_restarts", 1},
                                                               {"backoff", 0}});
  auto restarted = await_event("restarted", first);
  EXPECT_EQ(restarted.at("reason"), std::string("policy"));
  int second = pid_of(restarted);
  EXPECT_TRUE(restarted.at("log_tty").is_string()) << json::serialize(restarted);
  await_exit(second);
  auto fresh = instance(second);
  EXPECT_EQ(fresh->spec().label, "svc");
  EXPECT_EQ(fresh->spec().cwd, where.path());
  EXPECT_EQ(fresh->spec().env, (EnvOverlay{{"GREETING", "hi"}}));
  EXPECT_TRUE(fresh->spec().tty);
  EXPECT_EQ(fresh->spec().restart.mode, RestartPolicy::Mode::always);
  std::string out = combined(second);
  EXPECT_NE(out.find(" GREETING=hi\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" " + where.path() + "\n"), std::string::npos) << out;
  auto e = with_pid(list_label("svc"), second);
  EXPECT_EQ(e.at("status"), std::string("exited"));
  EXPECT_EQ(e.at("exit_code").as_int64(), 0);
  EXPECT_TRUE(e.at("note").is_string());
}

TEST_F(RestartPolicies, OnFailureLeavesACleanExitAloneAndListShowsEveryPolicy) {
  int pid = start_helper({"exit:0"}, {{"label", "once"}, {"restart", "on_failure"}});
  auto exited = await_event("exited", pid);
  EXPECT_EQ(exited.at("restarting"), json::value(false));
  EXPECT_FALSE(instance(pid)->restart_due());
  auto entries = list_label("once");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("restart"), std::string("on-failure"));  // on_failure is a spelling of it
  EXPECT_TRUE(entries[0].at("next_restart_in_s").is_null());
  EXPECT_TRUE(entries[0].at("note").is_null());
  EXPECT_EQ(entries[0].at("restarts").as_int64(), 0);

  int plain = start_helper({"pause"}, {{"label", "plain"}});
  auto p = with_pid(list_label("plain"), plain);
  EXPECT_EQ(p.at("restart"), std::string("no"));
  EXPECT_TRUE(p.at("next_restart_in_s").is_null());
  auto self = call("list", {{"pid", 0}}).at("processes").as_array().at(0).as_object();
  EXPECT_EQ(self.at("restart"), std::string("no"));
  EXPECT_TRUE(self.at("next_restart_in_s").is_null());
}

TEST_F(RestartPolicies, AStopNeverRestartsEvenOneThatNeededSigkill) {
  int gentle = start_helper({"ready", "pause"}, {{"label", "gentle"}, {"restart", "always"}});
  int stubborn = start_helper({"ignore-term", "ready", "pause"}, {{"label", "stubborn"}, {"restart", "always"}});
  await_output(gentle, "ready");
  await_output(stubborn, "ready");
  for (int pid : {gentle, stubborn}) {
    auto r = call("ctrl", {{"action", "stop"}, {"pid", pid}});
    EXPECT_TRUE(r.at("error").is_null()) << json::serialize(r);
    auto exited = await_event("exited", pid);
    EXPECT_EQ(exited.at("restarting"), json::value(false));
    EXPECT_EQ(exited.at("status"), std::string("terminated"));
    EXPECT_FALSE(instance(pid)->restart_due());
  }
  EXPECT_EQ(instance(stubborn)->exit_code(), -9);
  EXPECT_EQ(count_events("restarted"), 0u);
  EXPECT_EQ(list_label("gentle").size(), 1u);
  EXPECT_EQ(list_label("stubborn").size(), 1u);
}

TEST_F(RestartPolicies, AStopDuringTheBackoffEndsTheRecordStoppedWithoutARestart) {
  int pid = start_helper({"exit:1"}, {{"label", "flaky"}, {"restart", "on-failure"}, {"backoff", 30}});
  auto exited = await_event("exited", pid);
  EXPECT_EQ(exited.at("restarting"), json::value(true));
  auto waiting = list_label("flaky");
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].at("status"), std::string("exited"));
  ASSERT_TRUE(waiting[0].at("next_restart_in_s").is_double()) << json::serialize(waiting[0]);
  EXPECT_GT(waiting[0].at("next_restart_in_s").as_double(), 20.0);
  EXPECT_LE(waiting[0].at("next_restart_in_s").as_double(), 30.0);

  // Its label is taken while it waits.
  auto twin = call("ctrl", {{"action", "start"},
                            {"command_or_label", kHelper + " pause"},
                            {"working_directory", dir.path()},
                            {"label", "flaky"}});
  EXPECT_EQ(twin.at("error"), "Process with label 'flaky' (PID " + std::to_string(pid) +
                                  ") is waiting to be restarted by its restart policy; restart or stop it instead.");

  auto stopped = call("ctrl", {{"action", "stop"}, {"command_or_label", "flaky"}});
  EXPECT_TRUE(stopped.at("error").is_null()) << json::serialize(stopped);
  EXPECT_EQ(stopped.at("pid").as_int64(), pid);
  EXPECT_EQ(stopped.at("exit_code").as_int64(), 1);
  auto failed = await_event("restart_failed", pid);
  EXPECT_EQ(failed.at("reason"), std::string("stopped"));
  EXPECT_EQ(failed.at("status"), std::string("terminated"));
  auto after = list_label("flaky");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].at("status"), std::string("terminated"));
  EXPECT_EQ(after[0].at("exit_code").as_int64(), 1);
  EXPECT_TRUE(after[0].at("next_restart_in_s").is_null());
  EXPECT_FALSE(instance(pid)->restart_due());
  std::string log = combined(pid);
  EXPECT_TRUE(log.ends_with(" [SYSTEM] Restart failed: stopped on request while waiting to be restarted by its "
                            "restart policy\n"))
      << log;
  auto again = call("ctrl", {{"action", "stop"}, {"pid", pid}});
  EXPECT_EQ(again.at("error"), "Process " + std::to_string(pid) + " is not running (terminated).");
  EXPECT_EQ(count_events("restarted"), 0u);
}

TEST_F(RestartPolicies, ARestartOnRequestKeepsThePolicyAndAKillingSignalIsAFailure) {
  int first = start_helper({"ready", "pause"}, {{"label", "web"}, {"restart", "on-failure"}, {"backoff", 0.05}});
  await_output(first, "ready");
  auto r = call("ctrl", {{"action", "restart"}, {"command_or_label", "web"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_EQ(await_event("restarted", first).at("reason"), std::string("request"));
  int second = pid_of(r);
  auto e = with_pid(list_label("web"), second);
  EXPECT_EQ(e.at("restart"), std::string("on-failure"));
  EXPECT_EQ(e.at("restarts").as_int64(), 1);
  await_output(second, "ready");

  // SIGTERM from elsewhere than a stop: it died of a signal, which is a failure.
  auto sig = call("ctrl", {{"action", "signal"}, {"pid", second}, {"signal", "TERM"}});
  EXPECT_TRUE(sig.at("error").is_null()) << json::serialize(sig);
  auto exited = await_event("exited", second);
  EXPECT_EQ(exited.at("exit_code").as_int64(), -15);
  EXPECT_EQ(exited.at("restarting"), json::value(true));
  auto by_policy = await_event("restarted", second);
  EXPECT_EQ(by_policy.at("reason"), std::string("policy"));
  int third = pid_of(by_policy);
  EXPECT_EQ(instance(third)->restarts(), 2);
  EXPECT_EQ(instance(third)->spec().restart.mode, RestartPolicy::Mode::on_failure);
}

TEST_F(RestartPolicies, ARestartOnRequestDuringTheWaitRestartsAtOnce) {
  int first = start_helper({"out:hello", "exit:1"}, {{"label", "soon"}, {"restart", "always"}, {"backoff", 30}});
  await_event("exited", first);
  auto r = call("ctrl", {{"action", "restart"}, {"command_or_label", "soon"}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  auto restarted = await_event("restarted", first);
  EXPECT_EQ(restarted.at("reason"), std::string("request"));
  int second = pid_of(r);
  EXPECT_EQ(pid_of(restarted), second);
  EXPECT_FALSE(instance(first)->restart_due());
  EXPECT_NE(combined(first).find(restarted_text(second, instance(second)->logs().combined_path)), std::string::npos);
  EXPECT_EQ(instance(second)->restarts(), 1);
}

TEST_F(RestartPolicies, ShutdownEndsTheWaitAndRestartsNothing) {
  int pid = start_helper({"exit:1"}, {{"restart", "on-failure"}, {"backoff", 30}});
  int running = start_helper({"ready", "pause"}, {{"restart", "always"}, {"backoff", 0}});
  await_event("exited", pid);
  await_output(running, "ready");
  run_co(ioc, sup->shutdown(false));
  auto stopped = await_event("exited", running);
  EXPECT_EQ(stopped.at("restarting"), json::value(false));
  EXPECT_EQ(stopped.at("status"), std::string("terminated"));
  EXPECT_EQ(count_events("restarted"), 0u);
  auto failed = await_event("restart_failed", pid);
  EXPECT_EQ(failed.at("reason"), std::string("shutdown"));
  EXPECT_EQ(failed.at("error"), std::string("the server is shutting down"));
  EXPECT_FALSE(instance(pid)->restart_due());
  EXPECT_TRUE(combined(pid).ends_with(" [SYSTEM] Restart failed: the server is shutting down\n"));
}

// Invalid arguments are an error result the model reads (docs/mcp.md#errors).
TEST_F(RestartPolicies, BadPolicyArgumentsAreInvalidArguments) {
  json::object start{{"action", "start"}, {"command_or_label", kHelper + " pause"}, {"working_directory", dir.path()}};
  auto with = [&](json::object extra) {
    json::object a = start;
    for (auto& [k, v] : extra) a[k] = v;
    return a;
  };
  std::vector<std::pair<json::object, std::string>> cases{
      {with({{"restart", "sometimes"}}), "'restart' must be one of no, on-failure, always"},
      {with({{"restart", 1}}), "'restart' must be a string"},
      {with({{"restart", "always"}, {"backoff", -1}}), "'backoff' must be a number from 0 to 3600"},
      {with({{"restart", "always"}, {"backoff", "1s"}}), "'backoff' must be a number from 0 to 3600"},
      {with({{"restart", "always"}, {"max_restarts", -1}}), "'max_restarts' must be an integer from 0 to 1000000"},
      {with({{"restart", "always"}, {"max_restarts", 1.5}}), "'max_restarts' must be an integer from 0 to 1000000"},
      {with({{"max_restarts", 3}}), "'max_restarts' and 'backoff' need 'restart' on-failure or always"},
      {with({{"restart", "no"}, {"backoff", 2}}), "'max_restarts' and 'backoff' need 'restart' on-failure or always"},
      {json::object{{"action", "restart"}, {"pid", 1}, {"restart", "always"}},
       "'restart', 'max_restarts' and 'backoff' go with start only (a restart keeps the policy the process was "
       "started with)"},
  };
  for (const auto& [args, message] : cases) {
    auto r = call_raw("ctrl", args);
    EXPECT_EQ(r.at("isError"), true) << json::serialize(args);
    EXPECT_EQ(r.at("structuredContent").at("error"), "Invalid arguments: " + message) << json::serialize(r);
  }
  EXPECT_TRUE(call("list", {}).at("processes").as_array().empty());  // nothing was started
  // null counts as absent
  auto ok = call("ctrl", with({{"restart", nullptr}, {"backoff", nullptr}}));
  EXPECT_TRUE(ok.at("error").is_null()) << json::serialize(ok);
}

}  // namespace
}  // namespace pp::test
