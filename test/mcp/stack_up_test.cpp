// Stacks brought up and down (docs/stacks.md#up): dependency order observed
// through the table, never timing; a failed dependency stopping the bring-up with
// its last lines; the time limit; attaching and --fresh; down in reverse order;
// Procfile ports and .env reaching the processes; ctrl up/down over MCP and their
// bad arguments. Every wait is on an event of the io_context.
#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <future>

#include "mcp/mcp_fixture.hpp"
#include "stack/member_spec.hpp"
#include "stack/stack_fixture.hpp"

namespace pp::test {
namespace {

using stack::test::helper_shell_command;
// The helper as a stack file's command.
std::string helper_command(const std::vector<std::string>& actions) { return stack::test::helper_yaml_command(actions); }

class StackUp : public McpFixture {
 protected:
  // persistproc.yaml in a directory named "app", so labels are app/<name>.
  void write_yaml(const std::string& text) { files.write("app/persistproc.yaml", text); }
  std::filesystem::path app() const { return files.file("app"); }

  stack::StackSpec load() {
    auto r = stack::load_stack(app(), {});
    EXPECT_EQ(r.error, "");
    if (!r.spec) throw std::runtime_error("the stack file did not load: " + r.error);
    return std::move(*r.spec);
  }

  // Runs the io_context until `done` holds or `bound` passes; each step is an event.
  bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds bound = 20s) {
    auto deadline = std::chrono::steady_clock::now() + bound;
    while (!done()) {
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= 0s) return false;
      ioc.restart();
      ioc.run_one_for(left);
    }
    return true;
  }
  template <class T>
  T finish(std::future<T>& f) {
    EXPECT_TRUE(pump_until([&] { return f.wait_for(0s) == std::future_status::ready; }));
    return f.get();
  }

  std::shared_ptr<Process> member(const std::string& name) {
    auto m = stack::current_members(*sup, "app");
    auto it = m.find(name);
    return it == m.end() ? nullptr : it->second;
  }

  std::future<stack::UpResult> up_async(stack::UpOptions o = {}) {
    return boost::asio::co_spawn(ioc, stacks->up(stack::plan_of(load()), o), boost::asio::use_future);
  }

  stack::test::StackDir files;
};

// db prints its ready line only when told to (SIGUSR1, which a group signal may
// deliver twice: once to the group, once to the leader); web depends on it
// being ready, so until then web must not be in the table at all.
const std::string kDbThenWeb = R"(processes:
  db:
    command: DB
    ready_log_line: "^db up$"
  web:
    command: WEB
    depends_on:
      db:
        condition: process_ready
)";

std::string with_commands(std::string yaml, const std::string& db, const std::string& web) {
  yaml.replace(yaml.find("DB"), 2, db);
  yaml.replace(yaml.find("WEB"), 3, web);
  return yaml;
}

TEST_F(StackUp, ADependentStartsOnlyOnceItsDependencyPrintedItsReadyLine) {
  write_yaml(with_commands(kDbThenWeb, helper_command({"usr1:db up", "out:db waiting", "pause"}),
                           helper_command({"out:web serving", "pause"})));
  auto up = up_async();
  ASSERT_TRUE(pump_until([&] { return member("db") != nullptr; }));
  await_output(member("db")->pid(), "db waiting");
  EXPECT_EQ(member("web"), nullptr) << "web started before db was ready";
  EXPECT_FALSE(member("db")->ready());

  ASSERT_EQ(sup->signal(Target{member("db")->pid(), {}, {}, {}}, SIGUSR1).error, "");
  auto r = finish(up);
  EXPECT_EQ(r.error, "");
  ASSERT_EQ(r.members.size(), 2u);
  EXPECT_EQ(r.members[0].name, "db");
  EXPECT_EQ(r.members[1].name, "web");
  for (auto& m : r.members) {
    EXPECT_TRUE(m.up) << m.name;
    EXPECT_EQ(m.how, stack::MemberResult::started) << m.name;
  }
  auto db = member("db"), web = member("web");
  ASSERT_TRUE(db->ready_ms());
  EXPECT_GE(web->start_time(), db->start_time() + *db->ready_ms());
  EXPECT_EQ(db->spec().label, "app/db");
  EXPECT_EQ(web->spec().member.depends_on.at(0).condition, "process_ready");
}

TEST_F(StackUp, ADependencyThatExitsStopsTheBringUpWithItsLastLines) {
  write_yaml(with_commands(kDbThenWeb, helper_command({"out:no space left on device", "exit:3"}),
                           helper_command({"pause"})));
  auto r = call("ctrl", {{"action", "up"}, {"file", app().string()}});
  EXPECT_EQ(r.at("error"), std::string("db exited with code 3 before it was ready; not started: web"));
  EXPECT_EQ(r.at("failed"), std::string("db"));
  EXPECT_EQ(r.at("stack"), std::string("app"));
  std::string out = json::serialize(r.at("output"));
  EXPECT_NE(out.find("no space left on device"), std::string::npos) << out;
  auto& procs = r.at("processes").as_array();
  ASSERT_EQ(procs.size(), 2u);
  EXPECT_EQ(procs[1].at("start"), std::string("not started"));
  EXPECT_TRUE(procs[1].at("pid").is_null());
  EXPECT_EQ(member("web"), nullptr);
}

TEST_F(StackUp, ADependencyNotReadyInTimeIsNamedAndWhatStartedKeepsRunning) {
  write_yaml(with_commands(kDbThenWeb, helper_command({"out:starting", "pause"}), helper_command({"pause"})));
  auto r = call("ctrl", {{"action", "up"}, {"file", app().string()}, {"wait_timeout", 0.3}});
  EXPECT_EQ(r.at("error"), std::string("db still running, but not ready within 300 ms; not started: web"));
  ASSERT_NE(member("db"), nullptr);
  EXPECT_TRUE(member("db")->running()) << "up leaves what it started running";
}

TEST_F(StackUp, AMemberThatEndsBeforeItIsReadyFailsTheBringUp) {
  write_yaml(R"(processes:
  api:
    command: )" + helper_command({"exit:1"}) + R"(
    ready_log_line: listening
)");
  auto r = call("ctrl", {{"action", "up"}, {"file", app().string()}});
  EXPECT_EQ(r.at("error"), std::string("api exited with code 1 before it was ready"));
}

TEST_F(StackUp, UpAgainAttachesAndFreshStartsAnew) {
  write_yaml(R"(processes:
  a:
    command: )" + helper_command({"pause"}) + R"(
  b:
    command: )" + helper_command({"pause"}) + R"(
    depends_on:
      a:
        condition: process_started
)");
  auto first = call("ctrl", {{"action", "up"}, {"file", app().string()}});
  ASSERT_TRUE(first.at("error").is_null()) << json::serialize(first);
  auto again = call("ctrl", {{"action", "up"}, {"file", (app() / "persistproc.yaml").string()}});
  ASSERT_TRUE(again.at("error").is_null());
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(again.at("processes").at(i).at("start"), std::string("attached"));
    EXPECT_EQ(again.at("processes").at(i).at("pid"), first.at("processes").at(i).at("pid"));
  }
  EXPECT_EQ(sup->list(Target{}).size(), 2u) << "nothing started twice";

  auto fresh = call("ctrl", {{"action", "up"}, {"file", app().string()}, {"fresh", true}});
  ASSERT_TRUE(fresh.at("error").is_null());
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(fresh.at("processes").at(i).at("start"), std::string("started"));
    EXPECT_NE(fresh.at("processes").at(i).at("pid"), first.at("processes").at(i).at("pid"));
  }
}

TEST_F(StackUp, DownStopsDependentsFirst) {
  write_yaml(R"(processes:
  db:
    command: )" + helper_command({"pause"}) + R"(
  api:
    command: )" + helper_command({"pause"}) + R"(
    depends_on:
      db:
        condition: process_started
  web:
    command: )" + helper_command({"pause"}) + R"(
    depends_on:
      api:
        condition: process_started
)");
  auto u = up_async();
  auto r = finish(u);
  ASSERT_EQ(r.error, "");
  auto d = boost::asio::co_spawn(ioc, stacks->down("app"), boost::asio::use_future);
  auto down = finish(d);
  EXPECT_EQ(down.error, "");
  ASSERT_EQ(down.stopped.size(), 3u);
  EXPECT_EQ(down.stopped[0]->spec().member.name, "web");
  EXPECT_EQ(down.stopped[1]->spec().member.name, "api");
  EXPECT_EQ(down.stopped[2]->spec().member.name, "db");
  for (auto& p : down.stopped) EXPECT_FALSE(p->running());
  EXPECT_LE(*down.stopped[0]->end_time(), *down.stopped[1]->end_time());
  EXPECT_LE(*down.stopped[1]->end_time(), *down.stopped[2]->end_time());
}

TEST_F(StackUp, DownOverMcpByNameOrFile) {
  write_yaml(R"(processes:
  a:
    command: )" + helper_command({"pause"}) + "\n");
  ASSERT_TRUE(call("ctrl", {{"action", "up"}, {"file", app().string()}}).at("error").is_null());
  auto d = call("ctrl", {{"action", "down"}, {"file", app().string()}});
  EXPECT_TRUE(d.at("error").is_null()) << json::serialize(d);
  ASSERT_EQ(d.at("processes").as_array().size(), 1u);
  EXPECT_EQ(d.at("processes").at(0).at("status"), std::string("terminated"));
  ASSERT_TRUE(call("ctrl", {{"action", "up"}, {"file", app().string()}}).at("error").is_null());
  EXPECT_EQ(call("ctrl", {{"action", "down"}, {"name", "app"}}).at("processes").as_array().size(), 1u);
  EXPECT_EQ(call("ctrl", {{"action", "down"}, {"name", "nope"}}).at("error"),
            std::string("No stack named 'nope' is known to the server."));
}

TEST_F(StackUp, CompletedSuccessfullyWaitsForTheExitAndAFailureStopsIt) {
  auto yaml = [&](const std::string& code) {
    return R"(processes:
  migrate:
    command: )" + helper_command({"out:migrating", "exit:" + code}) + R"(
  api:
    command: )" + helper_command({"pause"}) + R"(
    depends_on:
      migrate:
        condition: process_completed_successfully
)";
  };
  write_yaml(yaml("0"));
  auto ok = call("ctrl", {{"action", "up"}, {"file", app().string()}});
  EXPECT_TRUE(ok.at("error").is_null()) << json::serialize(ok);
  EXPECT_GE(member("api")->start_time(), *member("migrate")->end_time());
  call("ctrl", {{"action", "down"}, {"name", "app"}});

  write_yaml(yaml("4"));
  auto bad = call("ctrl", {{"action", "up"}, {"file", app().string()}});
  EXPECT_EQ(bad.at("error"),
            std::string("migrate exited with code 4 (it had to complete successfully); not started: api"));
}

TEST_F(StackUp, AProcfileGetsPortsAndTheDotEnvReachesEveryProcess) {
  files.write("app/.env", "GREETING=hello from .env\n");
  files.write("app/Procfile", "web: " + helper_shell_command({"env:PORT", "env:GREETING", "pause"}) + "\nworker: " +
                                  helper_shell_command({"env:PORT", "pause"}) + "\n");
  auto r = call("ctrl", {{"action", "up"}, {"file", app().string()}});
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  await_output(member("web")->pid(), "PORT=5000");
  await_output(member("web")->pid(), "GREETING=hello from .env");
  await_output(member("worker")->pid(), "PORT=5100");
}

TEST_F(StackUp, UnsupportedKeysComeBackAsWarnings) {
  write_yaml(R"(version: "0.5"
processes:
  a:
    command: )" + helper_command({"pause"}) + R"(
    log_location: /tmp/a.log
)");
  auto r = call("ctrl", {{"action", "up"}, {"file", app().string()}});
  ASSERT_TRUE(r.at("error").is_null());
  std::string w = json::serialize(r.at("warnings"));
  EXPECT_NE(w.find("'version'"), std::string::npos) << w;
  EXPECT_NE(w.find("'log_location'"), std::string::npos) << w;
}

TEST_F(StackUp, BadArgumentsAreInvalidArgumentResults) {
  auto err = [&](json::object args) {
    auto r = call_raw("ctrl", std::move(args));
    EXPECT_TRUE(r.at("isError").as_bool());
    return std::string(r.at("content").at(0).at("text").as_string());
  };
  EXPECT_NE(err({{"action", "up"}}).find("up needs 'file'"), std::string::npos);
  EXPECT_NE(err({{"action", "up"}, {"file", "relative/dir"}}).find("absolute path"), std::string::npos);
  EXPECT_NE(err({{"action", "down"}}).find("down needs 'file'"), std::string::npos);
  EXPECT_NE(err({{"action", "down"}, {"name", "x"}, {"fresh", true}}).find("go with up only"), std::string::npos);
  EXPECT_NE(err({{"action", "up"}, {"file", "/x"}, {"pid", 3}}).find("pid"), std::string::npos);
  auto missing = call("ctrl", {{"action", "up"}, {"file", (app() / "nothing-here").string()}});
  EXPECT_FALSE(missing.at("error").is_null());
}

}  // namespace
}  // namespace pp::test

namespace pp::test {
namespace {

TEST_F(StackUp, RestartingAMemberRestartsItAloneAndNamesItsDependents) {
  write_yaml(R"(processes:
  db:
    command: )" + helper_command({"pause"}) + R"(
  api:
    command: )" + helper_command({"pause"}) + R"(
    depends_on:
      db:
        condition: process_started
  web:
    command: )" + helper_command({"pause"}) + R"(
    depends_on:
      db:
        condition: process_started
)");
  ASSERT_TRUE(call("ctrl", {{"action", "up"}, {"file", app().string()}}).at("error").is_null());
  int api = member("api")->pid(), web = member("web")->pid(), db = member("db")->pid();
  auto r = call("ctrl", {{"action", "restart"}, {"command_or_label", "db"}});  // the bare name finds app/db
  ASSERT_TRUE(r.at("error").is_null()) << json::serialize(r);
  EXPECT_NE(r.at("pid").as_int64(), db);
  EXPECT_EQ(json::serialize(r.at("dependents_not_restarted")), R"(["api","web"])");
  EXPECT_EQ(member("api")->pid(), api);
  EXPECT_EQ(member("web")->pid(), web);
  EXPECT_TRUE(member("api")->running());
  auto plain = call("ctrl", {{"action", "restart"}, {"command_or_label", "app/web"}});
  EXPECT_EQ(json::serialize(plain.at("dependents_not_restarted")), "[]");
}

}  // namespace
}  // namespace pp::test
