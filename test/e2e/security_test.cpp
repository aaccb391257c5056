// docs/security.md end to end: DNS-rebinding defence, token authentication, limits.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "support/raw_http.hpp"
#include "support/test_support.hpp"

namespace pp::test {
namespace {

namespace json = boost::json;

const std::string kInit =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})";

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(Security, TokenFileIsPrivateAndDataDirToo) {
  Server s({"-q"});
  std::string token = s.token();
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat((s.data_dir() + "/token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(s.data_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(Security, MissingOrWrongTokenIs401) {
  Server s({"-q"});
  auto none = http_request(s.port(), "POST", "/mcp/", kInit);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.headers["WWW-Authenticate"], "Bearer");
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Authorization", "Bearer nope"}}).status, 401);
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Authorization", "Bearer " + s.token() + "x"}}).status,
            401);
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Authorization", "Basic " + s.token()}}).status, 401);
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Authorization", "Bearer " + s.token()}}).status, 200);
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Authorization", "bearer " + s.token()}}).status, 200);
}

TEST(Security, CliReadsTheTokenFileOrTheEnvironment) {
  Server s({"-q"});
  TempDir elsewhere;  // a data dir without the token
  auto r = run_program({kBin, "list", "--port", std::to_string(s.port()), "--data-dir", elsewhere.path()},
                       {{"PERSISTPROC_TOKEN", ""}, {"PERSISTPROC_PORT", ""}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("requires a token"), std::string::npos) << r.err;
  r = run_program({kBin, "list", "--port", std::to_string(s.port()), "--data-dir", elsewhere.path()},
                  {{"PERSISTPROC_TOKEN", "wrong"}, {"PERSISTPROC_PORT", ""}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("refused the token"), std::string::npos) << r.err;
  r = run_program({kBin, "list", "--port", std::to_string(s.port()), "--data-dir", elsewhere.path()},
                  {{"PERSISTPROC_TOKEN", s.token()}, {"PERSISTPROC_PORT", ""}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(s.cli({"list"}).exit_code, 0);  // the token file in the server's data dir
}

TEST(Security, BannerShowsEachAgentsHeader) {
  Server s;
  std::string header = "Authorization: Bearer " + s.token();
  EXPECT_NE(s.banner().find("--header \"" + header + "\""), std::string::npos) << s.banner();
  EXPECT_NE(s.banner().find(R"("headers": {"Authorization": "Bearer )" + s.token() + "\"}"), std::string::npos);
  EXPECT_EQ(s.banner().find("Authentication is OFF"), std::string::npos);
}

TEST(Security, NoAuthByFlagOrEnvironmentSaysSo) {
  Server flag({"--no-auth"});
  Server env({}, {{"PERSISTPROC_NO_AUTH", "1"}});
  for (Server* s : {&flag, &env}) {
    EXPECT_NE(s->banner().find("Authentication is OFF"), std::string::npos);
    EXPECT_EQ(s->banner().find("Bearer"), std::string::npos);
    EXPECT_EQ(http_request(s->port(), "POST", "/mcp/", kInit).status, 200);
  }
}

TEST(Security, RebindingAttemptsAreRefusedBeforeAnythingElse) {
  Server s({"-q"});
  std::string auth = "Bearer " + s.token();
  std::string port = std::to_string(s.port());
  for (const char* host : {"evil.example", "evil.example:80", "127.0.0.1.evil.example", "localhost.evil", "[::2]:1",
                           "", "127.0.0.1:notaport"})
    EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Host", host}, {"Authorization", auth}}).status, 403)
        << host;
  for (const char* origin : {"http://evil.example", "https://localhost.evil", "null", "file://", "http://127.0.0.2"})
    EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Origin", origin}, {"Authorization", auth}}).status, 403)
        << origin;
  // Refused before the token is looked at: no token needed to get the 403.
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Host", "evil.example"}}).status, 403);
  for (const std::string& host : std::vector<std::string>{"localhost", "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST"})
    EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Host", host}, {"Authorization", auth}}).status, 200)
        << host;
  for (const char* origin : {"http://localhost:3000", "http://127.0.0.1", "https://[::1]:8443"})
    EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit, {{"Origin", origin}, {"Authorization", auth}}).status, 200)
        << origin;
}

TEST(Security, OversizedBodiesAre413ByLengthOrWhileReading) {
  Server s({"--no-auth", "-q"});
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", std::string(1024 * 1024 + 1, ' ')).status, 413);
  // Chunked: no Content-Length, so the limit is found while reading.
  int fd = connect_to(s.port());
  ASSERT_GE(fd, 0);
  std::string head = "POST /mcp/ HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string chunk(64 * 1024, ' ');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  std::string all = head;
  for (int i = 0; i < 20; ++i) all += size_line + chunk + "\r\n";
  all += "0\r\n\r\n";
  ::send(fd, all.data(), all.size(), MSG_NOSIGNAL);
  std::string reply;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 413")) << reply.substr(0, 80);
}

TEST(Security, HundredsOfIdleConnectionsDoNotDelayARealRequest) {
  Server s({"-q"});
  std::vector<int> idle;
  for (int i = 0; i < 200; ++i) {
    int fd = connect_to(s.port());
    ASSERT_GE(fd, 0);
    if (i % 2) ::send(fd, "POST /mcp/ HTTP/1.1\r\nHost: loc", 30, MSG_NOSIGNAL);  // half a header
    idle.push_back(fd);
  }
  auto r = s.cli({"list"});  // no retry: it must simply work
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "No processes running\n");
  for (int fd : idle) ::close(fd);
}

TEST(Security, ConnectionsBeyondTheCapGet503) {
  Server s({"--no-auth", "-q"});
  std::vector<int> held;
  for (int i = 0; i < 512; ++i) {
    int fd = connect_to(s.port());
    ASSERT_GE(fd, 0);
    held.push_back(fd);
  }
  // The server accepts in order, so by the time this one is accepted all 512 are counted.
  EXPECT_EQ(http_request(s.port(), "POST", "/mcp/", kInit).status, 503);
  for (int fd : held) ::close(fd);
}

TEST(Security, ASilentConnectionIsClosedAfterTheHeaderDeadline) {
  Server s({"-q"});
  int fd = connect_to(s.port());
  ASSERT_GE(fd, 0);
  pollfd p{fd, POLLIN, 0};
  // The server's deadline is 10 s; the bound here only keeps a broken server from hanging the test.
  ASSERT_EQ(::poll(&p, 1, 30000), 1);
  char c;
  EXPECT_EQ(::recv(fd, &c, 1, 0), 0);  // closed without an answer
  ::close(fd);
}

TEST(Security, MalformedHttpIsAnsweredOrClosedNeverFatal) {
  Server s({"-q"});
  for (const char* junk : {"GARBAGE\r\n\r\n", "POST /mcp/ HTTP/9.9\r\n\r\n", "\x16\x03\x01\x02\x00", "POST /mcp/ HTTP/1.1\r\nContent-Length: -5\r\n\r\n"}) {
    int fd = connect_to(s.port());
    ASSERT_GE(fd, 0);
    ::send(fd, junk, std::strlen(junk), MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
    char buf[512];
    while (::recv(fd, buf, sizeof buf, 0) > 0) {
    }
    ::close(fd);
  }
  EXPECT_EQ(s.cli({"list"}).exit_code, 0);
}

}  // namespace
}  // namespace pp::test
