// `persistproc serve`: wires supervisor, MCP and HTTP onto one io_context and runs
// until SIGINT/SIGTERM, then stops every managed process and exits 0 (docs/service.md#shutdown).
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace pp::server {

struct ServeOptions {
  int port = 8947;
  std::string data_dir;
  int verbose = 0;
  bool quiet = false;
  bool no_auth = false;   // --no-auth: no token required (the banner says so)
  bool detached = false;  // after readiness, stdio goes to /dev/null (serve --detach's child)
  // Each log file rotates to one .1 backup past this size (0: no cap).
  std::uint64_t max_log_size = 64ull << 20;
  // Logs of processes no longer in the table are deleted this long after their last
  // write, at start-up and daily (0: kept forever).
  std::chrono::seconds log_retention{7 * 24 * 3600};
  // --restore: processes a crashed server left running are started again after
  // being stopped (without it they are only stopped).
  bool restore = false;
};

int serve(const ServeOptions& opts);

}  // namespace pp::server
