// Fuzzes JSON-RPC dispatch and the tools: each input is the body of a POST /mcp
// that carries a live session (from one real initialize) and valid headers, sent
// through the same request path as fuzz_mcp_request, to a server whose supervisor
// holds ended processes with real logs (fuzz_world.hpp) and refuses to start any.
// Aborts on what must never happen: a 5xx, an exception escaping a tool or method
// (-32603), and a body that ends the session (a ping after it gets 404).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_world.hpp"
#include "mcp/jsonrpc.hpp"

namespace {
[[noreturn]] void fail(const char* what, const pp::http::Response& res) {
  std::fprintf(stderr, "fuzz_mcp_session: %s (HTTP %d): %s\n", what, res.result_int(), res.body().c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static pp::fuzz::World w;
  auto res = w.send(w.post(std::string(reinterpret_cast<const char*>(data), size)));
  // A batch may start another session; it ends with the input.
  if (auto id = res.find("Mcp-Session-Id"); id != res.end()) w.end_session(std::string(id->value()));
  if (res.result_int() >= 500) fail("server error", res);
  if (res.result_int() == 404) fail("the session was not found", res);
  if (pp::fuzz::rpc_error_code(res.body()) == pp::mcp::kInternalError) fail("internal error", res);
  if (!w.session_alive()) fail("the session ended", res);
  return 0;
}
