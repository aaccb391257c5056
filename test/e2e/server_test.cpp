// The real binary as a server: readiness, banner, HTTP surface, port conflicts,
// signals and shutdown leaving nothing behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>

#include "support/raw_http.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;


std::vector<int> grandchildren(const std::string& log) {
  std::vector<int> pids;
  for (std::size_t p = 0; (p = log.find("Z grandchild ", p)) != std::string::npos; p += 13)
    pids.push_back(std::atoi(log.c_str() + p + 13));
  return pids;
}

json::object json_out(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return json::parse(r.out).as_object();
}

// Starts the helper through the CLI and returns {pid, combined log path}.
std::pair<int, std::string> start(const Server& s, const std::vector<std::string>& actions) {
  std::vector<std::string> args = {"start", "--format", "json", kHelper};
  args.insert(args.end(), actions.begin(), actions.end());
  auto r = json_out(s.cli(args));
  return {static_cast<int>(r.at("pid").as_int64()), std::string(r.at("log_combined").as_string())};
}

TEST(Server, BannerExplainsEachAgentThenReadinessLine) {
  Server s;
  std::string url = "http://127.0.0.1:" + std::to_string(s.port()) + "/mcp/";
  const std::string& out = s.banner();
  EXPECT_NE(out.find("claude mcp add -s user --transport http persistproc " + url), std::string::npos) << out;
  EXPECT_NE(out.find("codex mcp add persistproc --url " + url + " --bearer-token-env-var PERSISTPROC_TOKEN"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"url\": \"" + url + "\""), std::string::npos);
  EXPECT_NE(out.find("\"httpUrl\": \"" + url + "\""), std::string::npos);
  EXPECT_NE(out.find("Cursor"), std::string::npos);
  EXPECT_NE(out.find("Gemini CLI"), std::string::npos);
  EXPECT_NE(out.find(R"({"command": "persistproc", "args": ["mcp", "--port", ")" + std::to_string(s.port()) + "\"]}"),
            std::string::npos)
      << out;
  EXPECT_TRUE(out.ends_with("persistproc listening on " + url + "\n"));
}

TEST(Server, QuietPrintsOnlyTheReadinessLine) {
  Server s({"-q"});
  EXPECT_EQ(s.banner(), "persistproc listening on http://127.0.0.1:" + std::to_string(s.port()) + "/mcp/\n");
}

TEST(Server, FirstRequestAfterReadinessSucceeds) {
  // No retry, no wait: readiness means ready.
  for (int i = 0; i < 3; ++i) {
    Server s({"-q"});
    auto r = s.cli({"list"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "No processes running\n");
  }
}

TEST(Server, BarePersistprocWithOnlyGlobalOptionsServes) {
  TempDir d;
  Server s({"-q"});  // any server proves the default; now the bare form on another port:
  std::vector<std::string> argv = {kBin, "--port", "0", "--data-dir", d.path(), "-q"};
  // Run it and stop it through the CLI once ready.
  int out_fd[2];
  ASSERT_EQ(::pipe(out_fd), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd[1], 1);
    ::close(out_fd[0]);
    std::vector<char*> a;
    for (auto& x : argv) a.push_back(x.data());
    a.push_back(nullptr);
    ::execv(a[0], a.data());
    ::_exit(127);
  }
  ::close(out_fd[1]);
  std::string got;
  char buf[512];
  while (got.find('\n') == std::string::npos) {
    ssize_t n = ::read(out_fd[0], buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out_fd[0]);
  EXPECT_TRUE(got.starts_with("persistproc listening on http://127.0.0.1:")) << got;
  ::kill(pid, SIGTERM);
  EXPECT_TRUE(await_pid_exit(pid));
  int st;
  ::waitpid(pid, &st, 0);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

TEST(Server, EndpointAnswersAtMcpWithAndWithoutSlash) {
  Server s({"-q"});
  std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + s.token()}};
  for (const char* path : {"/mcp", "/mcp/"}) {
    auto r = http_request(s.port(), "POST", path,
                          R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})", auth);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_FALSE(r.headers["Mcp-Session-Id"].empty());
    EXPECT_EQ(r.headers["Content-Type"], "application/json");
  }
  EXPECT_EQ(http_request(s.port(), "POST", "/other", "{}", auth).status, 404);
  EXPECT_EQ(http_request(s.port(), "GET", "/mcp/", "", auth).status, 400);  // an event stream needs a session
  EXPECT_EQ(http_request(s.port(), "PUT", "/mcp/", "", auth).status, 405);
}

TEST(Server, SessionsOverHttp) {
  Server s({"--no-auth", "-q"});
  std::string sid = http_initialize(s.port(), "");
  ASSERT_FALSE(sid.empty());
  auto note = http_request(s.port(), "POST", "/mcp/", R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                           {{"Mcp-Session-Id", sid}});
  EXPECT_EQ(note.status, 202);
  auto ping = http_request(s.port(), "POST", "/mcp/", R"({"jsonrpc":"2.0","id":2,"method":"ping"})",
                           {{"Mcp-Session-Id", sid}});
  EXPECT_EQ(ping.status, 200);
  EXPECT_EQ(json::parse(ping.body).at("result"), json::object{});
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", R"({"jsonrpc":"2.0","id":3,"method":"ping"})",
                         {{"Mcp-Session-Id", "unknown"}})
                .status,
            404);
  EXPECT_EQ(http_request(s.port(), "DELETE", "/mcp/", "", {{"Mcp-Session-Id", sid}}).status, 200);
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", R"({"jsonrpc":"2.0","id":4,"method":"ping"})",
                         {{"Mcp-Session-Id", sid}})
                .status,
            404);
}

TEST(Server, RejectsForeignHostOriginAndHugeBodies) {
  Server s({"--no-auth", "-q"});
  std::string init = R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})";
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", init, {{"Host", "evil.example:80"}}).status, 403);
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", init, {{"Origin", "http://evil.example"}}).status, 403);
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", init, {{"Host", "localhost:1"}, {"Origin", "http://localhost:3000"}})
                .status,
            200);
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", std::string(2 * 1024 * 1024, ' ')).status, 413);
}

TEST(Server, PortHeldByAnotherProgramIsOneClearLine) {
  LoopbackListener held;
  TempDir d;
  auto r = run_program({kBin, "serve", "--port", std::to_string(held.port()), "--data-dir", d.path()});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("port " + std::to_string(held.port()) + " is already in use by pp_e2e_tests (PID " +
                       std::to_string(::getpid()) + ")"),
            std::string::npos)
      << r.err;
}

TEST(Server, PortHeldByPersistprocNamesItsPid) {
  Server s({"-q"});
  TempDir d;
  auto r = run_program({kBin, "serve", "--port", std::to_string(s.port()), "--data-dir", d.path()});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("a persistproc server (PID " + std::to_string(s.pid()) + ")"), std::string::npos) << r.err;
}

TEST(Server, WritesItsOwnLogAndDescribesItselfAsPidZero) {
  Server s({"-q"});
  auto list = json_out(s.cli({"list", "--pid", "0", "--format", "json"}));
  auto self = list.at("processes").at(0).as_object();
  EXPECT_EQ(self.at("pid").as_int64(), s.pid());
  EXPECT_EQ(self.at("label"), "persistproc-server");
  std::string log(self.at("log_combined").as_string());
  EXPECT_EQ(std::filesystem::path(log).parent_path(), s.data_dir());
  EXPECT_TRUE(std::filesystem::path(log).filename().string().starts_with("persistproc.run."));
  auto out = s.cli({"output", "0"});
  EXPECT_EQ(out.exit_code, 0);
  EXPECT_NE(out.out.find("listening on"), std::string::npos) << out.out;
}

TEST(Server, SigtermStopsATermIgnoringChildAndExitsZero) {
  auto s = std::make_unique<Server>(std::vector<std::string>{"-q"});
  auto [pid, log] = start(*s, {"ignore-term", "out:ready", "pause"});
  ASSERT_TRUE(await_file_contains(log, "Z ready\n"));
  EXPECT_EQ(s->terminate(30s), 0);
  EXPECT_FALSE(pid_alive(pid));
  EXPECT_NE(read_file(log).find("[SYSTEM] Process terminated by signal 9"), std::string::npos);
}

TEST(Server, SigintAndSighupShutDownCleanlyToo) {
  for (int sig : {SIGINT, SIGHUP}) {
    Server s({"-q"});
    auto [pid, log] = start(s, {"out:ready", "pause"});
    ASSERT_TRUE(await_file_contains(log, "Z ready\n"));
    ::kill(s.pid(), sig);
    EXPECT_EQ(s.wait_exit(20s), 0) << "signal " << sig;
    EXPECT_FALSE(pid_alive(pid));
    EXPECT_NE(read_file(log).find("[SYSTEM] Process terminated by signal 15"), std::string::npos);
  }
}

TEST(Server, SecondSignalKillsAtOnce) {
  Server s({"-q"});
  auto [pid, log] = start(s, {"ignore-term", "out:ready", "pause"});
  ASSERT_TRUE(await_file_contains(log, "Z ready\n"));
  auto server_log = json_out(s.cli({"list", "--pid", "0", "--format", "json"}))
                        .at("processes").at(0).at("log_combined").as_string();
  ::kill(s.pid(), SIGTERM);
  ASSERT_TRUE(await_file_contains(std::string(server_log), "stopping every managed process"));
  ::kill(s.pid(), SIGINT);
  // Without escalation this takes the 8 s grace period; the bound is below it.
  EXPECT_EQ(s.wait_exit(5s), 0);
  EXPECT_FALSE(pid_alive(pid));
  EXPECT_NE(read_file(std::string(server_log)).find("second signal"), std::string::npos);
}

TEST(Server, ShutdownReturnsAfterExitAndLeavesNothingRunning) {
  Server s({"-q"});
  auto [a, log_a] = start(s, {"fork:2", "fork-stubborn:1", "out:ready", "pause"});
  auto [b, log_b] = start(s, {"out:ready", "pause"});
  ASSERT_TRUE(await_file_contains(log_a, "Z ready\n"));
  ASSERT_TRUE(await_file_contains(log_b, "Z ready\n"));
  auto kids = grandchildren(read_file(log_a));
  ASSERT_EQ(kids.size(), 3u);
  int server_pid = s.pid();
  auto r = s.cli({"shutdown", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), (json::object{{"pid", server_pid}}));
  EXPECT_FALSE(pid_alive(server_pid));  // already exited (a zombie until we reap it)
  EXPECT_EQ(s.wait_exit(1s), 0);
  for (int p : {a, b}) EXPECT_FALSE(pid_alive(p));
  for (int k : kids) EXPECT_FALSE(pid_alive(k)) << "grandchild " << k;
  EXPECT_NE(read_file(log_b).find("[SYSTEM] Process terminated by signal 15"), std::string::npos);
}

}  // namespace
}  // namespace pp::test

namespace pp::test {
namespace {

TEST(ServerChildren, InheritOnlyTheirStdio) {
  // A child that kept the server's listening socket would hold the port after a
  // server crash; one that kept a client connection or another child's pipe would
  // keep those open.
  Server s{{"-q"}};
  auto first = s.cli({"start", "--wait-for", "^ready$", kHelper, "ready", "pause"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto r = s.cli({"start", "--wait-for", "^fds:", kHelper, "fds", "pause"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ms: fds: 0 1 2\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pp::test
