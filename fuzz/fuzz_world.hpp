// The server the MCP fuzz targets (and the seed test, test/mcp/fuzz_seeds_test.cpp)
// send requests to: the real MCP server and tools behind http::respond(). By
// default its supervisor holds a few ended processes with real logs and refuses
// to start anything (it has been shut down); with a helper program it starts what
// it is asked (fuzz_mcp_start confines that to the helper, helper_only.hpp). No
// sockets: a request is answered in-process.
#pragma once
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/respond.hpp"

namespace pp::fuzz {

// Labels of the ended processes (docs/fuzzing.md#the-world):
inline constexpr const char* kShort = "short";      // a few lines on stdout and stderr, exit 0
inline constexpr const char* kCrashed = "crashed";  // an error line, exit 3
inline constexpr const char* kRotated = "rotated";  // past the rotation size: combined.log has a .1
inline constexpr const char* kToken = "t0k3n";

class World {
 public:
  // Without `helper`: runs the three processes to their end and shuts the
  // supervisor down. With it: a live supervisor with a short stop grace (100 ms).
  // Then opens one session (a real initialize through respond()). Throws when any
  // of that fails.
  explicit World(std::string helper = "");
  ~World();

  // With a helper: shuts the supervisor down (every process it started is reaped,
  // its logs removed) and begins again with a fresh one and a new session.
  void begin_again();

  // Answers one request as the server would, on this thread.
  http::Response send(const http::Request& req);
  // A POST /mcp carrying `body`, the session, the token and valid headers.
  http::Request post(std::string body) const;
  // Whether the session still answers a ping (it was not ended).
  bool session_alive();
  // Ends a session some request started (keeps the table from filling up).
  void end_session(const std::string& id);

  const std::string& session() const { return session_; }
  const std::string& dir() const { return dir_; }
  // Where started processes run and log (with a helper; changes with begin_again).
  const std::string& run_dir() const { return run_dir_; }
  const std::string& helper() const { return helper_; }
  // The pid of an ended process by its label (-1 when there is none).
  int pid_of(const std::string& label) const;
  // Where its combined log is ("" when there is no such process).
  std::string combined_path(const std::string& label) const;

 private:
  void begin();
  void open_session();

  struct Parts;
  std::unique_ptr<Parts> p_;
  std::string helper_;
  std::string dir_;
  std::string run_dir_;
  int runs_ = 0;
  std::string session_;
};

// Parses `bytes` as one HTTP request with the server's limits (1 MiB body, 16 KiB
// header); nullopt with `error` set when Beast refuses it or it is incomplete.
std::optional<http::Request> parse_request(std::string_view bytes, std::string* error = nullptr);

// The code of the first JSON-RPC error in a response body (an object or a batch), if any.
std::optional<std::int64_t> rpc_error_code(std::string_view body);

}  // namespace pp::fuzz
