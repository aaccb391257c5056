// MCP sessions (Streamable HTTP `Mcp-Session-Id`): created by initialize, ended by DELETE.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace pp::mcp {

// MCP logging levels (syslog's), least severe first.
inline constexpr const char* kLogLevels[] = {"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};

struct Session {
  std::string protocol_version;
  bool initialized = false;  // notifications/initialized received
  std::chrono::steady_clock::time_point last_used;
  std::uint64_t use_order = 0;  // larger = used more recently (a clock can tie)
  int log_level = 0;            // logging/setLevel: index into kLogLevels; notifications below it are not sent
};

// Idle sessions expire and the table is capped, so clients that never say
// goodbye cannot grow it without bound. Expiry is checked when sessions are
// used or created: no timer needed. A full table makes room by dropping the
// least recently used session, but never one used within `protect_recent`: a
// flood of new sessions cannot end the ones clients are using.
class SessionTable {
 public:
  explicit SessionTable(std::chrono::steady_clock::duration idle_expiry = std::chrono::hours(24),
                        std::size_t max_sessions = 1024,
                        std::chrono::steady_clock::duration protect_recent = std::chrono::minutes(1))
      : idle_expiry_(idle_expiry), max_sessions_(max_sessions), protect_recent_(protect_recent) {}

  // Creates a session with a fresh unguessable id (128 random bits, hex); null
  // when the table is full of sessions used within `protect_recent`.
  const std::string* create(std::string protocol_version);
  // The live session with this id (and marks it used), or null.
  Session* find(const std::string& id);
  // The live session with this id without marking it used, or null.
  const Session* peek(const std::string& id) const;
  bool erase(const std::string& id);
  std::size_t size() const { return sessions_.size(); }

 private:
  // Drops expired sessions, then least recently used ones not used lately until
  // there is room; false when there is none.
  bool make_room();
  std::chrono::steady_clock::duration idle_expiry_;
  std::size_t max_sessions_;
  std::chrono::steady_clock::duration protect_recent_;
  std::uint64_t uses_ = 0;
  std::unordered_map<std::string, Session> sessions_;
};

}  // namespace pp::mcp
