// MCP sessions (Streamable HTTP `Mcp-Session-Id`): created by initialize, ended by DELETE.
#pragma once
#include <string>
#include <unordered_map>

namespace pp::mcp {

struct Session {
  std::string protocol_version;
  bool initialized = false;  // notifications/initialized received
};

class SessionTable {
 public:
  // Creates a session with a fresh unguessable id (128 random bits, hex).
  const std::string& create(std::string protocol_version);
  Session* find(const std::string& id);
  bool erase(const std::string& id);
  std::size_t size() const { return sessions_.size(); }

 private:
  std::unordered_map<std::string, Session> sessions_;
  std::string last_;
};

}  // namespace pp::mcp
