// `persistproc mcp`, the stdio bridge, end to end: a client that only speaks MCP on
// stdin/stdout reaches the running server, gets each answer as one line, and the
// session's notifications too. Reads await the pipe (poll), bounded for failure only.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;

// The bridge as a child with its stdin and stdout on pipes held by the test.
class Bridge {
 public:
  explicit Bridge(std::vector<std::string> args) {
    int in[2], out[2];
    EXPECT_EQ(::pipe2(in, O_CLOEXEC), 0);
    EXPECT_EQ(::pipe2(out, O_CLOEXEC), 0);
    std::vector<std::string> argv = {kBin, "mcp"};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = spawn_process(argv, {{"PERSISTPROC_PORT", ""}, {"PERSISTPROC_TOKEN", ""}}, {in[0], out[1], -1});
    ::close(in[0]);
    ::close(out[1]);
    in_ = in[1];
    out_ = out[0];
  }
  ~Bridge() {
    if (in_ >= 0) ::close(in_);
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
  }
  void send(const std::string& line) {
    std::string l = line + "\n";
    ASSERT_EQ(::write(in_, l.data(), l.size()), static_cast<ssize_t>(l.size()));
  }
  // The next line on stdout, "" at its end or after the bound.
  std::string line() {
    auto deadline = std::chrono::steady_clock::now() + 20s;
    for (;;) {
      if (auto nl = buf_.find('\n'); nl != std::string::npos) {
        std::string l = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return l;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{out_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return "";
      char b[4096];
      ssize_t n = ::read(out_, b, sizeof b);
      if (n <= 0) return "";
      buf_.append(b, static_cast<std::size_t>(n));
    }
  }
  json::object message() {
    std::string l = line();
    boost::system::error_code ec;
    auto v = json::parse(l, ec);
    if (ec || !v.is_object()) {
      ADD_FAILURE() << "not a JSON-RPC message: '" << l << "'";
      return {};
    }
    return v.as_object();
  }
  // Ends stdin; returns the bridge's exit code.
  int finish() {
    ::close(in_);
    in_ = -1;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  int pid_ = -1, in_ = -1, out_ = -1;
  std::string buf_;
};

const std::string kInit =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},)"
    R"("clientInfo":{"name":"test","version":"0"}}})";

TEST(StdioBridge, ACommandOnlyClientListsCallsAndHearsLifecycleEvents) {
  Server s({"-q"});
  Bridge b({"--port", std::to_string(s.port()), "--data-dir", s.data_dir()});  // the token comes from there
  b.send(kInit);
  auto init = b.message();
  ASSERT_TRUE(init.contains("result")) << json::serialize(init);
  EXPECT_EQ(init.at("id"), 1);
  EXPECT_EQ(init.at("result").at("serverInfo").at("name"), "persistproc") << json::serialize(init);
  // The same version as `persistproc --version` prints.
  EXPECT_EQ(init.at("result").at("serverInfo").at("version"), PP_PROJECT_VERSION) << json::serialize(init);
  b.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  b.send(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})");
  auto tools = b.message();
  // The event stream's first notification (stream_opened) may come before it.
  while (!tools.contains("id") && tools.contains("method")) tools = b.message();
  ASSERT_TRUE(tools.contains("result")) << json::serialize(tools);
  EXPECT_EQ(tools.at("id"), 2);
  EXPECT_EQ(tools.at("result").at("tools").as_array().size(), 3u);

  json::object start{{"jsonrpc", "2.0"}, {"id", 3}, {"method", "tools/call"},
                     {"params", {{"name", "ctrl"},
                                 {"arguments", {{"action", "start"},
                                                {"command_or_label", kHelper + " out:bye exit:4"},
                                                {"working_directory", s.data_dir()}}}}}};
  b.send(json::serialize(start));
  // The call's answer and the exit notification arrive in either order.
  bool answered = false, exited = false;
  for (int i = 0; i < 6 && !(answered && exited); ++i) {
    auto m = b.message();
    if (m.contains("id")) {
      EXPECT_EQ(m.at("id"), 3);
      EXPECT_EQ(m.at("result").at("isError"), false) << json::serialize(m);
      answered = true;
    } else if (m.contains("method") && m.at("method") == "notifications/message") {
      const auto& data = m.at("params").at("data").as_object();
      if (data.contains("event") && data.at("event") == "exited") {
        EXPECT_EQ(data.at("exit_code"), 4);
        exited = true;
      }
    }
  }
  EXPECT_TRUE(answered);
  EXPECT_TRUE(exited);
  EXPECT_EQ(b.finish(), 0);
}

TEST(StdioBridge, NoServerIsAnErrorAnswerNotSilence) {
  // A port nobody listens on: this server's, after it is gone.
  Server gone({"-q"});
  int port = gone.port();
  gone.terminate();
  TempDir dir;
  Bridge b({"--port", std::to_string(port), "--data-dir", dir.path()});
  b.send(kInit);
  auto m = b.message();
  EXPECT_EQ(m.at("id"), 1);
  EXPECT_NE(std::string(m.at("error").at("message").as_string()).find("no server on port"), std::string::npos)
      << json::serialize(m);
  EXPECT_EQ(b.finish(), 0);
}

TEST(StdioBridge, AMissingTokenIsAnErrorThatSaysWhere) {
  Server s({"-q"});
  TempDir elsewhere;  // no token there
  Bridge b({"--port", std::to_string(s.port()), "--data-dir", elsewhere.path()});
  b.send(kInit);
  auto m = b.message();
  EXPECT_NE(std::string(m.at("error").at("message").as_string()).find("token"), std::string::npos)
      << json::serialize(m);
  EXPECT_EQ(b.finish(), 0);
}

}  // namespace
}  // namespace pp::test
