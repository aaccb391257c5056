// `persistproc up` and `down` end to end (docs/stacks.md): up -d's exit codes and
// summary, down in reverse order, a bad file reported before anything runs, and
// the attached view in a real terminal: prefixed lines, lifecycle lines, colours
// (and NO_COLOR), Ctrl+C to stop or detach. Every wait is on output or an exit.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "core/timestamp.hpp"
#include "e2e/run_fixture.hpp"
#include "stack/stack_fixture.hpp"

namespace pp::test {
namespace {

// The helper as a stack file's command.
std::string helper_command(const std::vector<std::string>& actions) { return stack::test::helper_yaml_command(actions); }

class StackCli : public Run {
 protected:
  // <cwd>/app/persistproc.yaml: db says "db up" when it is ready, web waits for that.
  std::string write_app(const std::string& db_command, const std::string& web_command) {
    std::string dir = cwd.path() + "/app";
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/persistproc.yaml") << "processes:\n"
                                                "  db:\n"
                                                "    command: " << db_command << "\n"
                                                "    ready_log_line: '^db up$'\n"
                                                "  web:\n"
                                                "    command: " << web_command << "\n"
                                                "    depends_on:\n"
                                                "      db:\n"
                                                "        condition: process_ready\n";
    return dir;
  }
  std::string app_ok() {
    return write_app(helper_command({"out:db starting", "out:db up", "pause"}),
                     helper_command({"out:web serving", "pause"}));
  }
  std::map<std::string, std::string> statuses() {
    std::map<std::string, std::string> out;
    for (const auto& p : processes())
      out[std::string(p.at("label").as_string())] = std::string(p.at("status").as_string());
    return out;
  }
};

TEST_F(StackCli, UpDetachedReturnsOnceReadyAndDownStopsDependentsFirst) {
  std::string dir = app_ok();
  auto up = s.cli({"up", "-d", dir});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("db  | ready after "), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("web | running (PID "), std::string::npos) << up.out;
  auto st = statuses();
  EXPECT_EQ(st["app/db"], "running");
  EXPECT_EQ(st["app/web"], "running");

  auto only = json::parse(s.cli({"list", "--format", "json", "--stack", "app"}).out);
  EXPECT_EQ(only.at("processes").as_array().size(), 2u);
  EXPECT_TRUE(json::parse(s.cli({"list", "--format", "json", "--stack", "other"}).out).at("processes").as_array().empty());
  auto again = s.cli({"up", "-d"}, {}, dir);  // the current directory, attached to
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already ready after"), std::string::npos) << again.out;
  EXPECT_EQ(processes().size(), 2u);

  auto down = s.cli({"down", dir});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  auto web = down.out.find("web | stopped"), db = down.out.find("db  | stopped");
  ASSERT_NE(web, std::string::npos) << down.out;
  ASSERT_NE(db, std::string::npos) << down.out;
  EXPECT_LT(web, db) << "web depends on db: it stops first";
  st = statuses();
  EXPECT_EQ(st["app/db"], "terminated");
  EXPECT_EQ(st["app/web"], "terminated");
}

TEST_F(StackCli, UpDetachedFailsNamingTheProcessThatIsNotReady) {
  std::string dir = write_app(helper_command({"out:disk full", "exit:2"}), helper_command({"pause"}));
  auto up = s.cli({"up", "-d", dir});
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_NE(up.err.find("Error: db exited with code 2 before it was ready; not started: web"), std::string::npos)
      << up.err;
  EXPECT_NE(up.err.find("disk full"), std::string::npos) << "its last lines say why: " << up.err;

  std::string slow = write_app(helper_command({"out:db starting", "pause"}), helper_command({"pause"}));
  auto late = s.cli({"up", "-d", "--timeout", "0.5", "--fresh", slow});
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_NE(late.err.find("db still running, but not ready within 500 ms"), std::string::npos) << late.err;
  EXPECT_NE(late.err.find("keeps running"), std::string::npos) << late.err;
  EXPECT_EQ(statuses()["app/db"], "running");
}

TEST_F(StackCli, ABadFileIsReportedBeforeAnythingRuns) {
  std::string dir = cwd.path() + "/bad";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/persistproc.yaml") << "processes:\n  a:\n    comand: x\n";
  auto up = s.cli({"up", "-d", dir});
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_NE(up.err.find(":3: unknown key 'comand'"), std::string::npos) << up.err;
  EXPECT_TRUE(processes().empty());
  auto none = s.cli({"up", "-d", cwd.path() + "/nowhere"});
  EXPECT_EQ(none.exit_code, 1);
  auto both = s.cli({"down", "--name", "x", dir});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  auto unknown = s.cli({"down", "--name", "nothing"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("No stack named 'nothing'"), std::string::npos) << unknown.err;
}

TEST_F(StackCli, AttachedUpPrefixesEveryLineAndCtrlCStopsTheStack) {
  std::string dir = app_ok();
  auto env_ = env();
  env_["NO_COLOR"] = "1";
  auto p = std::make_unique<PtyProcess>(argv({"up", dir}), env_, cwd.path());
  ASSERT_TRUE(p->await_output("web | web serving")) << p->transcript();
  ASSERT_TRUE(p->await_output("db  | db up")) << p->transcript();
  ASSERT_TRUE(p->await_output("db  | ready after ")) << p->transcript();
  ASSERT_TRUE(p->await_output("stack 'app' is up")) << p->transcript();
  EXPECT_EQ(p->transcript().find("\033["), std::string::npos) << "NO_COLOR is set";
  EXPECT_EQ(p->transcript().find("[SYSTEM]"), std::string::npos) << "lifecycle lines replace the log's own";
  p->send("\x03");
  ASSERT_TRUE(p->await_output("Stop stack 'app' (s) or detach (d)? [s/d] ")) << p->transcript();
  p->send("s\n");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_NE(p->transcript().find("web | stopped"), std::string::npos) << p->transcript();
  auto st = statuses();
  EXPECT_EQ(st["app/db"], "terminated");
  EXPECT_EQ(st["app/web"], "terminated");
}

TEST_F(StackCli, AttachedUpColoursNamesAndCtrlCCanDetach) {
  std::string dir = app_ok();
  auto env_ = env();
  env_["NO_COLOR"] = "";
  auto p = std::make_unique<PtyProcess>(argv({"up", dir}), env_, cwd.path());
  ASSERT_TRUE(p->await_output("is up")) << p->transcript();
  // Lines come from the logs and the event stream as they arrive: awaited, not assumed.
  EXPECT_TRUE(p->await_output("\033[36mdb  | \033[0m")) << p->transcript();
  EXPECT_TRUE(p->await_output("\033[33mweb | \033[0m")) << p->transcript();
  p->send("\x03");
  ASSERT_TRUE(p->await_output("[s/d] ")) << p->transcript();
  p->send("d\n");
  EXPECT_EQ(p->wait_exit(), 0) << p->transcript();
  EXPECT_NE(p->transcript().find("detached"), std::string::npos);
  auto st = statuses();
  EXPECT_EQ(st["app/db"], "running");
  EXPECT_EQ(st["app/web"], "running");
}

}  // namespace
}  // namespace pp::test

namespace pp::test {
namespace {

// serve --restore after a crash brings a stack back in dependency order: web is
// started again only once the new db printed its ready line. The `up -d` after
// it finds both running (attached): the restore started them, not this call.
TEST(StackRecovery, RestoreBringsAStackBackInDependencyOrder) {
  TempDir data, work;
  std::string dir = work.path() + "/app";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/persistproc.yaml") << "processes:\n"
                                              "  db:\n"
                                              "    command: " << helper_command({"out:db up", "pause"}) << "\n"
                                              "    ready_log_line: '^db up$'\n"
                                              "  web:\n"
                                              "    command: " << helper_command({"out:web serving", "pause"}) << "\n"
                                              "    depends_on:\n"
                                              "      db:\n"
                                              "        condition: process_ready\n";
  std::vector<int> old_pids;
  {
    Server first(Server::OnDataDir(data), {"-q"});
    auto up = first.cli({"up", "-d", dir});
    ASSERT_EQ(up.exit_code, 0) << up.err;
    auto listed = json::parse(first.cli({"list", "--format", "json"}).out).at("processes").as_array();
    for (const auto& p : listed) old_pids.push_back(static_cast<int>(p.at("pid").as_int64()));
    first.crash();
  }
  Server second(Server::OnDataDir(data), {"-q", "--restore"});
  auto again = second.cli({"up", "-d", dir});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("db  | already ready after "), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("web | already running"), std::string::npos) << again.out;
  for (int pid : old_pids) EXPECT_TRUE(await_pid_exit(pid));

  std::map<std::string, json::object> running;
  auto listing = second.cli({"list", "--format", "json"});
  ASSERT_EQ(listing.exit_code, 0) << listing.out << listing.err;
  json::value listed = json::parse(listing.out);  // kept: the loop reads into it
  for (const auto& v : listed.at("processes").as_array())
    if (v.at("status") == "running") running[std::string(v.at("label").as_string())] = v.as_object();
  ASSERT_EQ(running.size(), 2u);
  const auto& db = running.at("app/db");
  const auto& web = running.at("app/web");
  EXPECT_EQ(web.at("stack"), "app");
  EXPECT_EQ(web.at("name"), "web");
  EXPECT_EQ(web.at("depends_on").as_array().at(0).at("name"), "db");
  ASSERT_TRUE(db.at("ready_ms").is_int64());
  EXPECT_TRUE(db.at("ready").as_bool());
  auto web_start = parse_iso(std::string(web.at("start_time").as_string()));
  auto db_start = parse_iso(std::string(db.at("start_time").as_string()));
  ASSERT_TRUE(web_start && db_start);
  EXPECT_GE(*web_start, *db_start + db.at("ready_ms").as_int64()) << "web started only once db was ready";
  EXPECT_EQ(second.terminate(), 0);
}

}  // namespace
}  // namespace pp::test
