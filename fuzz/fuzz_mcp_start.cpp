// Fuzzes starts, waits and stops: like fuzz_mcp_session, each input is the body of
// a POST /mcp in a live session, but the supervisor behind it starts what it is
// asked, confined to the test helper program with fuzzer-chosen actions
// (helper_only.hpp), so wait_for, input, signals, stop escalation and the exit
// path see fuzzed inputs. After each input the supervisor is shut down (every
// process reaped) and a fresh one begins. Aborts on a 5xx, a -32603 or a lost session.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_world.hpp"
#include "helper_only.hpp"
#include "mcp/jsonrpc.hpp"

namespace {
[[noreturn]] void fail(const char* what, const pp::http::Response& res) {
  std::fprintf(stderr, "fuzz_mcp_start: %s (HTTP %d): %s\n", what, res.result_int(), res.body().c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static pp::fuzz::World w(PP_FUZZ_HELPER);
  std::string body(reinterpret_cast<const char*>(data), size);
  auto res = w.send(w.post(pp::fuzz::helper_only(body, w.helper(), w.run_dir())));
  if (auto id = res.find("Mcp-Session-Id"); id != res.end()) w.end_session(std::string(id->value()));
  if (res.result_int() >= 500) fail("server error", res);
  if (res.result_int() == 404) fail("the session was not found", res);
  if (pp::fuzz::rpc_error_code(res.body()) == pp::mcp::kInternalError) fail("internal error", res);
  if (!w.session_alive()) fail("the session ended", res);
  w.begin_again();
  return 0;
}
