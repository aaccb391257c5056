// state.json: every field survives the round trip, the file is private and replaced
// whole, and bad files or entries are reported rather than half read.
#include "supervise/state_file.hpp"
#include "os/proc_stat.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/test_support.hpp"

namespace pp {
namespace {

using test::TempDir;

SavedProcess sample(int pid, const std::string& dir) {
  SavedProcess p;
  p.pid = p.pgid = pid;
  p.start_ticks = 0xfffffffffull + static_cast<std::uint64_t>(pid);  // past 32 bits
  p.start_time = 1751812221123;
  p.spec.command = {"npm", "run", "dev", "--port=\"5173\""};
  p.spec.cwd = dir;
  p.spec.env = {{"API_KEY", "s3cr\"et\n"}, {"EMPTY", ""}};
  p.spec.label = "web ü";
  p.logs = log_paths_for(dir, pid, p.spec.command);
  p.restarts = 3;
  return p;
}

void expect_same(const SavedProcess& a, const SavedProcess& b) {
  EXPECT_EQ(a.pid, b.pid);
  EXPECT_EQ(a.pgid, b.pgid);
  EXPECT_EQ(a.start_ticks, b.start_ticks);
  EXPECT_EQ(a.start_time, b.start_time);
  EXPECT_EQ(a.spec.command, b.spec.command);
  EXPECT_EQ(a.spec.cwd, b.spec.cwd);
  EXPECT_EQ(a.spec.env, b.spec.env);
  EXPECT_EQ(a.spec.label, b.spec.label);
  EXPECT_EQ(a.logs.stdout_path, b.logs.stdout_path);
  EXPECT_EQ(a.logs.stderr_path, b.logs.stderr_path);
  EXPECT_EQ(a.logs.combined_path, b.logs.combined_path);
  EXPECT_EQ(a.logs.tty_path, b.logs.tty_path);
  EXPECT_EQ(a.spec.tty, b.spec.tty);
  EXPECT_EQ(a.spec.columns, b.spec.columns);
  EXPECT_EQ(a.spec.rows, b.spec.rows);
  EXPECT_EQ(a.restarts, b.restarts);
  EXPECT_EQ(a.spec.restart.mode, b.spec.restart.mode);
  EXPECT_EQ(a.spec.restart.max_restarts, b.spec.restart.max_restarts);
  EXPECT_EQ(a.spec.restart.backoff, b.spec.restart.backoff);
}

TEST(StateFile, WriteThenReadGivesBackEveryField) {
  TempDir dir;
  std::string path = dir.path() + "/state.json";
  SavedState s;
  s.server_pid = 4242;
  s.server_start_ticks = 123456789;
  s.boot_id = current_boot_id();
  s.processes = {sample(100, dir.path()), sample(200, dir.path())};
  // The second on a terminal: tty, its size and its raw log come back too.
  s.processes[1].spec.tty = true;
  s.processes[1].spec.columns = 132;
  s.processes[1].spec.rows = 43;
  s.processes[1].logs = with_tty_path(s.processes[1].logs);
  // and a restart policy (docs/architecture.md#restart-policies)
  s.processes[1].spec.restart = {RestartPolicy::Mode::on_failure, 0, std::chrono::milliseconds(2500)};
  ASSERT_EQ(write_state(path, s), "");

  LoadedState back = read_state(path);
  ASSERT_TRUE(back.state) << back.error;
  EXPECT_EQ(back.error, "");
  EXPECT_TRUE(back.skipped.empty());
  EXPECT_EQ(back.state->server_pid, 4242);
  EXPECT_EQ(back.state->server_start_ticks, 123456789u);
  EXPECT_EQ(back.state->boot_id, s.boot_id);
  ASSERT_EQ(back.state->processes.size(), 2u);
  expect_same(back.state->processes[0], s.processes[0]);
  expect_same(back.state->processes[1], s.processes[1]);
}

TEST(StateFile, IsPrivateAndReplacedWholeWithNoTemporaryLeft) {
  TempDir dir;
  std::string path = dir.path() + "/state.json";
  SavedState s;
  s.processes = {sample(100, dir.path())};
  ASSERT_EQ(write_state(path, s), "");
  ::chmod(path.c_str(), 0644);
  s.processes.clear();
  ASSERT_EQ(write_state(path, s), "");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto back = read_state(path);
  ASSERT_TRUE(back.state);
  EXPECT_TRUE(back.state->processes.empty());
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST(StateFile, NoFileIsNoStateAndNoError) {
  TempDir dir;
  auto r = read_state(dir.path() + "/state.json");
  EXPECT_FALSE(r.state);
  EXPECT_EQ(r.error, "");
}

TEST(StateFile, BadFilesAreErrorsNamingThePath) {
  TempDir dir;
  std::string path = dir.path() + "/state.json";
  for (const char* body : {"{not json", "[]", "{\"version\": 99, \"processes\": []}", ""}) {
    std::ofstream(path, std::ios::trunc) << body;
    auto r = read_state(path);
    EXPECT_FALSE(r.state) << body;
    EXPECT_NE(r.error.find(path), std::string::npos) << r.error;
  }
  std::filesystem::remove(path);
  std::filesystem::create_directory(path);  // unreadable as a file
  auto r = read_state(path);
  EXPECT_FALSE(r.state);
  EXPECT_NE(r.error.find("cannot read"), std::string::npos) << r.error;
  EXPECT_NE(write_state(path, SavedState{}), "");
}

TEST(StateFile, ABadEntryIsSkippedAndTheOthersKept) {
  TempDir dir;
  std::string path = dir.path() + "/state.json";
  SavedState s;
  s.processes = {sample(100, dir.path()), sample(200, dir.path())};
  // The second on a terminal: tty, its size and its raw log come back too.
  s.processes[1].spec.tty = true;
  s.processes[1].spec.columns = 132;
  s.processes[1].spec.rows = 43;
  s.processes[1].logs = with_tty_path(s.processes[1].logs);
  ASSERT_EQ(write_state(path, s), "");
  std::string body = test::read_file(path);
  auto at = body.find("\"pid\":100");
  ASSERT_NE(at, std::string::npos);
  body.replace(at, 9, "\"pid\":\"x\"");
  std::ofstream(path, std::ios::trunc) << body;
  auto r = read_state(path);
  ASSERT_TRUE(r.state) << r.error;
  ASSERT_EQ(r.state->processes.size(), 1u);
  EXPECT_EQ(r.state->processes[0].pid, 200);
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_NE(r.skipped[0].find("pid"), std::string::npos) << r.skipped[0];
}

// A file written before restart policies: its processes have none. A bad policy
// skips the entry, saying why.
TEST(StateFile, AnEntryWithoutARestartPolicyHasNoneAndABadOneIsSkipped) {
  TempDir dir;
  std::string path = dir.path() + "/state.json";
  SavedState s;
  s.processes = {sample(100, dir.path()), sample(200, dir.path())};
  ASSERT_EQ(write_state(path, s), "");
  auto root = boost::json::parse(test::read_file(path)).as_object();
  auto& procs = root["processes"].as_array();
  ASSERT_EQ(procs[0].as_object().at("restart").as_string(), "no");
  for (const char* k : {"restart", "max_restarts", "backoff"}) procs[0].as_object().erase(k);
  procs[1].as_object()["restart"] = "maybe";
  std::ofstream(path, std::ios::trunc) << boost::json::serialize(root);
  auto r = read_state(path);
  ASSERT_TRUE(r.state) << r.error;
  ASSERT_EQ(r.state->processes.size(), 1u);
  EXPECT_EQ(r.state->processes[0].pid, 100);
  EXPECT_EQ(r.state->processes[0].spec.restart.mode, RestartPolicy::Mode::no);
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_NE(r.skipped[0].find("'restart' is not one of no, on-failure, always"), std::string::npos) << r.skipped[0];
}

// The text a writer that keeps each record's text puts together is the file
// write_state writes for this server with the same records, read back the same.
TEST(StateFile, StateTextFromKeptRecordsIsWhatWriteStateWrites) {
  TempDir dir;
  std::string whole = dir.path() + "/whole.json", pieces = dir.path() + "/pieces.json";
  SavedState s = snapshot({});  // this server's identity, nothing running
  s.processes = {sample(100, dir.path()), sample(200, dir.path())};
  ASSERT_EQ(write_state(whole, s), "");
  std::vector<std::string> texts;
  for (const auto& p : s.processes) texts.push_back(saved_process_text(p));
  ASSERT_EQ(write_state_text(pieces, state_text({&texts[0], &texts[1]})), "");
  EXPECT_EQ(test::read_file(pieces), test::read_file(whole));
  LoadedState back = read_state(pieces);
  ASSERT_TRUE(back.state) << back.error;
  ASSERT_EQ(back.state->processes.size(), 2u);
  expect_same(back.state->processes[1], s.processes[1]);
  EXPECT_EQ(back.state->boot_id, s.boot_id);
  // And with no records.
  ASSERT_EQ(write_state_text(pieces, state_text({})), "");
  back = read_state(pieces);
  ASSERT_TRUE(back.state) << back.error;
  EXPECT_TRUE(back.state->processes.empty());
}

}  // namespace
}  // namespace pp
