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

// initialize over raw HTTP with this bearer token; returns the session id.
std::string http_initialize(int port, const std::string& token);

}  // namespace pp::test
