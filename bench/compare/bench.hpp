// What pp_bench_compare's sections share: one persistproc server with an MCP
// session kept open, one pm2 daemon with its agent, a scratch directory, and the
// rows and extra figures the run collects. Each section adds its rows in the order
// the table prints them.
#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "common/commands.hpp"
#include "common/session.hpp"
#include "common/table.hpp"
#include "compare/pm2.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

// The flood child (pp_bench_flood), built next to this program.
inline const std::string kFlood = PP_FLOOD;
// Its lines (see flood.cpp): "%07ld " (kFloodNumber bytes), then 'x's up to
// kFloodLine bytes with the newline.
constexpr std::size_t kFloodLine = 100, kFloodNumber = 8;
// The time stamp before each line in the logs: persistproc's
// ("2026-01-01T00:00:00.000Z ") and pm2's --time ("2026-01-01T00:00:00: ").
constexpr std::size_t kPpStamp = 25, kPm2Stamp = 21;

// A count or size for the full run and a smaller one for --quick (a smoke test of the harness).
template <class T>
struct Scaled {
  T full, quick;
};

// A line on stderr, so whoever waits sees where the run is.
void progress(const std::string& what);

struct Bench {
  Bench(const std::string& npm, const std::string& pm2_home, bool quick);

  const std::string npm;  // the peers' node_modules and scripts
  const bool quick;
  pp::test::TempDir work;  // children's working directory, scratch logs
  pp::test::Server pp;
  Env pp_env;  // the CLI's environment: this server, no token or format from ours
  Session sess;
  Pm2 pm2;
  std::vector<Measure> rows;
  boost::json::object extra;  // figures kept in the JSON only

  template <class T>
  T pick(Scaled<T> s) const {
    return quick ? s.quick : s.full;
  }
  // `persistproc <args>` against this server, timed.
  Ran pp_cli(std::vector<std::string> args) const;
};

// The sections, each named as --only names it.
void memory(Bench& b);
void exit_detection(Bench& b);
void restart(Bench& b);
void run_latency(Bench& b);
void ingest(Bench& b);
void output(Bench& b);
void mcp(Bench& b);

}  // namespace pp::bench
