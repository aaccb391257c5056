// The MCP server without sockets: takes a Streamable HTTP request's parts and
// returns the reply's parts (docs/mcp.md#transport). The http layer maps these to Beast; tests
// call it directly.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/event_stream.hpp"
#include "mcp/sessions.hpp"
#include "mcp/tools.hpp"

namespace pp::mcp {

inline constexpr const char* kProtocolVersions[] = {"2025-11-25", "2025-06-18", "2025-03-26"};  // newest first

struct Reply {
  int status = 200;
  std::string body;                       // JSON, or empty (202/204/404...)
  std::optional<std::string> session_id;  // set on a successful initialize
};

struct RequestHeaders {
  std::optional<std::string> session_id;        // Mcp-Session-Id
  std::optional<std::string> protocol_version;  // MCP-Protocol-Version
  bool may_start_session = true;                // false: initialize is refused (the connection made too many)
};

class Server {
 public:
  Server(std::vector<Tool> tools, std::string version);

  boost::asio::awaitable<Reply> post(const RequestHeaders& h, std::string_view body);
  Reply del(const RequestHeaders& h);

  // GET: a session's stream of server-to-client messages. `stream` is set on
  // success (status 200); otherwise the reply says why not.
  struct Opened {
    Reply reply;
    std::shared_ptr<EventStream> stream;
  };
  Opened open_stream(const RequestHeaders& h, const boost::asio::any_io_executor& ex);

  // Sends a notifications/message to every open stream whose session's level
  // admits `level` (an index into kLogLevels).
  void notify(int level, const std::string& logger, json::value data);

  // Server shutdown: every stream ends after writing what is queued; returns when
  // all have finished or `deadline` passed.
  boost::asio::awaitable<void> end_streams(std::chrono::steady_clock::time_point deadline);

  std::size_t session_count() const { return sessions_.size(); }

  // One JSON-RPC reply message, serialized; `invalid_request`: its error is
  // kInvalidRequest, which makes a single message's reply a 400.
  struct Answer {
    std::string body;
    bool invalid_request = false;
  };

 private:
  // Handles one JSON-RPC message; nullopt for notifications and responses.
  boost::asio::awaitable<std::optional<Answer>> handle(const json::value& msg, const RequestHeaders& h,
                                                             std::optional<std::string>& new_session);
  json::object initialize(const json::object& params, const RequestHeaders& h, std::optional<std::string>& new_session);
  json::object list_tools() const;
  json::object set_level(const json::object& params, const RequestHeaders& h);
  // The whole response to a tools/call with `id`, as text.
  boost::asio::awaitable<std::string> call_tool(const json::object& params, const json::value& id);

  std::vector<Tool> tools_;
  std::string version_;
  SessionTable sessions_;
  std::vector<std::weak_ptr<EventStream>> streams_;
  std::shared_ptr<Pulse> stream_gone_;
};

}  // namespace pp::mcp
