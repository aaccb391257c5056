// Fuzzes the request path behind the socket: raw bytes -> Beast's HTTP parser
// (with the server's limits) -> Host/Origin and token checks -> routing -> the MCP
// server's session check and `initialize`. It cannot guess a session id (128
// random bits), so it never reaches the tools: fuzz_mcp_session does that.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static pp::fuzz::World w;
  auto req = pp::fuzz::parse_request({reinterpret_cast<const char*>(data), size});
  if (!req) return 0;
  auto res = w.send(*req);
  // Each input on its own: a session it started ends with it.
  if (auto id = res.find("Mcp-Session-Id"); id != res.end()) w.end_session(std::string(id->value()));
  if (res.result_int() >= 500) {
    std::fprintf(stderr, "fuzz_mcp_request: answered %d: %s\n", res.result_int(), res.body().c_str());
    std::abort();
  }
  return 0;
}
