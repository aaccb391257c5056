// pp_bench_features: figures of persistproc's own features that no peer has, so
// they are not in pp_bench_compare's side-by-side table; printed in its layout,
// against a fresh `serve --port 0`:
//   wait_for (issue 5): the child writes its matching line (stamped with
//   CLOCK_MONOTONIC as it writes) -> the ctrl call returns to an MCP client;
//   `run` across a restart: the restart call returns -> the new instance's first
//   line on run's terminal; the limit, starting the same child in a terminal;
//   a key typed into `run` -> the child reads it, and PTY ingestion against pipes
//   (features/terminal.hpp).
//   pp_bench_features
#include <boost/json.hpp>
#include <cstdio>

#include "common/commands.hpp"
#include "common/session.hpp"
#include "common/table.hpp"
#include "common/timing.hpp"
#include "features/terminal.hpp"
#include "support/pty_process.hpp"
#include "support/test_support.hpp"

using namespace pp::bench;
using pp::test::kHelper;
using pp::test::PtyProcess;
namespace json = boost::json;

namespace {

constexpr int kRounds = 20;
constexpr int kPrec = 3;

Measure wait_for(Session& sess, const std::string& cwd) {
  Measure m{"wait_for", "wait_for: matching line written → ctrl returns (ms)"};
  for (int i = 0; i < kRounds; ++i) {
    json::object args = start_args(kHelper + " out:booting stamp:ready pause", cwd, "w" + std::to_string(i));
    args["wait_for"] = "^ready \\d+$";
    auto r = sess.call("ctrl", std::move(args));
    auto returned = Clock::now();
    if (!r.at("error").is_null()) throw std::runtime_error("wait_for failed: " + json::serialize(r));
    std::string line(r.at("matched_line").as_string());  // "ready <ns>"
    m.pp.push_back(ms_between(from_monotonic_ns(std::stod(line.substr(line.find(' ') + 1))), returned));
    sess.call("ctrl", {{"action", "stop"}, {"pid", r.at("pid")}, {"force", true}});
  }
  return m;
}

Measure run_restart(Session& sess, const pp::test::Server& s, const std::string& cwd) {
  Measure m{"run_restart", "`run` across a restart: the call returns → new instance's first line on its terminal (ms)"};
  m.limit_name = "(the child started in a terminal)";
  Env env = {{"PERSISTPROC_PORT", std::to_string(s.port())},
             {"PERSISTPROC_DATA_DIR", s.data_dir()},
             {"PERSISTPROC_FORMAT", ""}};
  PtyProcess run({pp::test::kBin, "run", "--on-exit", "detach", "--label", "rs", kHelper, "out:ready", "pause"}, env,
                 cwd);
  if (!run.await_output("ready\r\n")) throw std::runtime_error("run: no ready");
  for (int i = 0; i < kRounds; ++i) {
    std::size_t mark = run.transcript().size();
    sess.call("ctrl", {{"action", "restart"}, {"command_or_label", "rs"}});
    auto t0 = Clock::now();
    if (!run.await_output("ready\r\n", mark)) throw std::runtime_error("run: no ready after restart");
    m.pp.push_back(ms_since(t0));

    auto t1 = Clock::now();
    PtyProcess fresh({kHelper, "out:ready", "pause"}, {}, cwd);
    if (!fresh.await_output("ready\r\n")) throw std::runtime_error("fresh: no ready");
    m.limit.push_back(ms_since(t1));
  }
  return m;
}

}  // namespace

int main() {
  try {
    pp::test::Server s({"-q", "--max-log-size", "0"});  // no rotation: lines are counted in one file
    pp::test::TempDir cwd;
    Session sess(s.port(), s.token());
    std::vector<Measure> rows = {wait_for(sess, cwd.path()), run_restart(sess, s, cwd.path())};
    for (auto& m : key_latency(s, cwd.path())) rows.push_back(m);
    for (auto& m : rows) m.prec = kPrec;
    for (auto& m : tty_ingestion(sess, s.pid(), cwd.path())) rows.push_back(m);
    std::printf("%s", table(rows).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pp_bench_features: %s\n", e.what());
    return 1;
  }
  return 0;
}
