// Log file names: <log_dir>/<pid>.<escaped command>.{stdout,stderr,combined} (docs/logs.md#files).
#include "core/log_paths.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pp {
namespace {

// ---- escape_command ----

TEST(EscapeCommand, SpacesBecomeUnderscores) { EXPECT_EQ(escape_command("npm run dev"), "npm_run_dev"); }

TEST(EscapeCommand, WhitespaceRunsBecomeOneUnderscore) {
  EXPECT_EQ(escape_command("a    b"), "a_b");
  EXPECT_EQ(escape_command("a \t\n b"), "a_b");
  EXPECT_EQ(escape_command("a\tb\nc\rd\ve\ff"), "a_b_c_d_e_f");
}

TEST(EscapeCommand, LeadingAndTrailingWhitespaceAlsoBecomeUnderscores) {
  EXPECT_EQ(escape_command(" ls "), "_ls_");
  EXPECT_EQ(escape_command("\t\tls\n"), "_ls_");
}

TEST(EscapeCommand, KeepsLettersDigitsUnderscoreAndDash) {
  EXPECT_EQ(escape_command("AZaz09_-"), "AZaz09_-");
  EXPECT_EQ(escape_command("python3 -m http_server --port 8000"), "python3_-m_http_server_--port_8000");
}

TEST(EscapeCommand, DropsEverythingElse) {
  EXPECT_EQ(escape_command("python -m http.server"), "python_-m_httpserver");
  EXPECT_EQ(escape_command("./bin/app --config=/etc/app.conf"), "binapp_--configetcappconf");
  EXPECT_EQ(escape_command("!@#$%^&*()+=[]{};:'\",.<>/?\\|`~"), "");
}

TEST(EscapeCommand, WhitespaceIsTurnedIntoUnderscoreBeforeOtherCharactersAreDropped) {
  // "a & b" -> "a_&_b" -> "a__b": the dropped '&' leaves two separate runs.
  EXPECT_EQ(escape_command("a & b"), "a__b");
  EXPECT_EQ(escape_command("echo 'x' | grep y"), "echo_x__grep_y");
}

TEST(EscapeCommand, DropsNonAsciiCharacters) {
  EXPECT_EQ(escape_command("echo héllo wörld 日本 😀"), "echo_hllo_wrld__");
  EXPECT_EQ(escape_command("echo 'héllo wörld' && ls /tmp"), "echo_hllo_wrld__ls_tmp");
}

TEST(EscapeCommand, EmptyStaysEmpty) { EXPECT_EQ(escape_command(""), ""); }

TEST(EscapeCommand, CutTo50Characters) {
  EXPECT_EQ(escape_command(std::string(49, 'a')), std::string(49, 'a'));
  EXPECT_EQ(escape_command(std::string(50, 'a')), std::string(50, 'a'));
  EXPECT_EQ(escape_command(std::string(51, 'a')), std::string(50, 'a'));
  EXPECT_EQ(escape_command(std::string(500, 'b')), std::string(50, 'b'));
}

TEST(EscapeCommand, CutCountsTheEscapedCharactersNotTheInput) {
  // 60 dropped characters in front do not use up the 50.
  EXPECT_EQ(escape_command(std::string(60, '.') + std::string(55, 'c')), std::string(50, 'c'));
  // Each whitespace run counts as one character.
  std::string in, want;
  for (int i = 0; i < 30; ++i) in += "x    ";
  for (int i = 0; i < 25; ++i) want += "x_";
  EXPECT_EQ(escape_command(in), want);
}

TEST(EscapeCommand, ResultOnlyHasAllowedCharacters) {
  std::string all;
  for (int c = 1; c < 256; ++c) all.push_back(static_cast<char>(c));
  for (std::size_t start = 0; start < all.size(); start += 40) {
    std::string out = escape_command(all.substr(start, 40));
    EXPECT_LE(out.size(), 50u);
    for (char c : out) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      EXPECT_TRUE(ok) << "char code " << static_cast<int>(static_cast<unsigned char>(c));
    }
  }
}

// ---- log_paths_for ----

TEST(LogPathsFor, NamesThreeFilesAfterPidAndEscapedCommand) {
  LogPaths p = log_paths_for("/data/process_logs", 1234, {"npm", "run", "dev"});
  EXPECT_EQ(p.stdout_path, "/data/process_logs/1234.npm_run_dev.stdout");
  EXPECT_EQ(p.stderr_path, "/data/process_logs/1234.npm_run_dev.stderr");
  EXPECT_EQ(p.combined_path, "/data/process_logs/1234.npm_run_dev.combined");
  EXPECT_EQ(p.tty_path, "");
  EXPECT_EQ(with_tty_path(p).tty_path, "/data/process_logs/1234.npm_run_dev.tty");
}

TEST(LogPathsFor, EachStreamNamesItsFile) {
  LogPaths p = log_paths_for("/logs", 7, {"ls"});
  EXPECT_EQ(&p.of(Stream::out), &p.stdout_path);
  EXPECT_EQ(&p.of(Stream::err), &p.stderr_path);
  EXPECT_EQ(&p.of(Stream::combined), &p.combined_path);
}

TEST(LogPathsFor, ArgumentsWithSpacesAndQuotesAreEscapedLikeTheCommandLine) {
  LogPaths p = log_paths_for("/logs", 7, {"echo", "a b", "it's"});
  EXPECT_EQ(p.stdout_path, "/logs/7.echo_a_b_its.stdout");
}

TEST(LogPathsFor, PathAndDotsInTheProgramAreDropped) {
  LogPaths p = log_paths_for("/logs", 42, {"python3", "-m", "http.server", "8000"});
  EXPECT_EQ(p.combined_path, "/logs/42.python3_-m_httpserver_8000.combined");
  p = log_paths_for("/logs", 42, {"/usr/bin/node", "server.js"});
  EXPECT_EQ(p.stderr_path, "/logs/42.usrbinnode_serverjs.stderr");
}

TEST(LogPathsFor, LongCommandIsCutTo50) {
  std::vector<std::string> cmd = {"node", std::string(100, 'z')};
  LogPaths p = log_paths_for("/d", 99999, cmd);
  EXPECT_EQ(p.stdout_path, "/d/99999.node_" + std::string(45, 'z') + ".stdout");
}

TEST(LogPathsFor, DifferentPidsGiveDifferentFiles) {
  LogPaths a = log_paths_for("/d", 1, {"sleep", "10"});
  LogPaths b = log_paths_for("/d", 2, {"sleep", "10"});
  EXPECT_NE(a.stdout_path, b.stdout_path);
  EXPECT_NE(a.combined_path, b.combined_path);
}

TEST(LogPathsFor, ALaterInstanceOfARecycledPidGetsASerial) {
  LogPaths p = log_paths_for("/d", 42, {"ls"}, 3);
  EXPECT_EQ(p.combined_path, "/d/42-3.ls.combined");
  EXPECT_EQ(with_tty_path(p).tty_path, "/d/42-3.ls.tty");
  EXPECT_EQ(log_paths_for("/d", 42, {"ls"}, 1).combined_path, "/d/42.ls.combined");
}

// ---- backups and recognising log names (for rotation and retention) ----

TEST(LogNames, BackupIsDotOne) { EXPECT_EQ(backup_path("/d/1.x.combined"), "/d/1.x.combined.1"); }

TEST(LogNames, ServerLogPath) {
  EXPECT_EQ(server_log_path("/d", "2025-07-06T14-30-21.123Z"), "/d/persistproc.run.2025-07-06T14-30-21.123Z.log");
}

TEST(LogNames, ProcessLogsAndTheirBackupsAreRecognised) {
  for (const auto& p :
       {with_tty_path(log_paths_for("/d", 42, {"npm", "run", "dev"})), with_tty_path(log_paths_for("/d", 7, {"!!"}))})
    for (const std::string& path : {p.stdout_path, p.stderr_path, p.combined_path, p.tty_path}) {
      std::string name = path.substr(3);
      EXPECT_TRUE(is_process_log_name(name)) << name;
      EXPECT_TRUE(is_process_log_name(name + ".1")) << name;
      EXPECT_FALSE(is_server_log_name(name)) << name;
    }
}

TEST(LogNames, NamesWithASerialAreProcessLogs) {
  for (const char* name : {"42-2.npm.stdout", "42-17.npm_run_dev.combined.1", "7-2.ls.tty"})
    EXPECT_TRUE(is_process_log_name(name)) << name;
}

TEST(LogNames, OtherFilesAreNotProcessLogs) {
  for (const char* name : {"token", "state.json", "42.stdout", "x.npm.stdout", ".npm.combined", "42.npm.combined.2",
                           "42.npm.log", "42.a.b.stdout", "42.npm.stdout~", "1.stdout", "42-.npm.stdout",
                           "42-x.npm.stdout", "-2.npm.stdout", "42-2-3.npm.stdout"})
    EXPECT_FALSE(is_process_log_name(name)) << name;
}

TEST(LogNames, ServerLogsAndTheirBackupsAreRecognised) {
  EXPECT_TRUE(is_server_log_name("persistproc.run.2025-07-06T14-30-21.123Z.log"));
  EXPECT_TRUE(is_server_log_name("persistproc.run.2025-07-06T14-30-21.123Z.log.1"));
  for (const char* name : {"persistproc.run..log", "persistproc.run.x.txt", "token", "other.run.x.log"})
    EXPECT_FALSE(is_server_log_name(name)) << name;
}

}  // namespace
}  // namespace pp
