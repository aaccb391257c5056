// A bare HTTP/1.1 request for end-to-end tests that need to go around the MCP client.
#pragma once
#include <map>
#include <string>

namespace pp::test {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

// Headers given here replace the defaults (Host: 127.0.0.1:<port>, JSON content type).
HttpResult http_request(int port, const std::string& method, const std::string& target, const std::string& body = "",
                        const std::map<std::string, std::string>& headers = {});

// A blocking loopback TCP connection (reads bounded at 20 s by SO_RCVTIMEO); -1 on failure.
int connect_loopback(int port);
// Sends `bytes` on a new connection, ends the sending side and returns everything
// the server answers until it closes.
std::string raw_exchange(int port, const std::string& bytes);
// Whether the server closes `fd` (a read ends with no data) within 20 s.
bool closed_by_server(int fd);

// One kept-alive connection for several requests in a row.
class KeepAliveClient {
 public:
  explicit KeepAliveClient(int port);
  ~KeepAliveClient();
  KeepAliveClient(const KeepAliveClient&) = delete;
  KeepAliveClient& operator=(const KeepAliveClient&) = delete;
  // status 0 when the connection failed or was closed.
  HttpResult request(const std::string& method, const std::string& target, const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {});

 private:
  struct Impl;
  Impl* impl_;
};

// A GET on /mcp/ held open to read its event stream. Reads block with a 20 s
// failure bound (SO_RCVTIMEO); events are awaited, never polled for.
class SseClient {
 public:
  SseClient(int port, const std::map<std::string, std::string>& headers);
  ~SseClient();
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;

  // The response status (reads the header), 0 when none arrived.
  int status();
  // The `data:` of the next event, or "" when the stream ended or the bound passed.
  std::string next_data();
  // Reads until the server closes the connection; true when it did within the bound.
  bool ends();

 private:
  bool fill();  // one more read into buf_; false on end or error
  int fd_ = -1;
  std::string buf_;
  std::size_t pos_ = 0;
};

// initialize over raw HTTP with this bearer token; returns the session id.
std::string http_initialize(int port, const std::string& token);

}  // namespace pp::test
