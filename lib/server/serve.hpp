// `persistproc serve`: wires supervisor, MCP and HTTP onto one io_context and runs
// until SIGINT/SIGTERM, then stops every managed process and exits 0 (SPEC §5).
#pragma once
#include <string>

namespace pp::server {

struct ServeOptions {
  int port = 8947;
  std::string data_dir;
  int verbose = 0;
  bool quiet = false;
  bool no_auth = false;   // --no-auth: no token required (the banner says so)
  bool detached = false;  // after readiness, stdio goes to /dev/null (serve --detach's child)
};

// Exit codes of serve besides 0 and 2 (usage).
inline constexpr int kExitPortInUse = 4;
inline constexpr int kExitDataDir = 5;

int serve(const ServeOptions& opts);

}  // namespace pp::server
