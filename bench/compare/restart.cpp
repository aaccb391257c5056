// Section "restart": the restart command -> the new instance's first line readable
// in its log, `persistproc restart` against `pm2 restart`. Row: restart.
#include <boost/json.hpp>

#include "common/log_watch.hpp"
#include "common/timing.hpp"
#include "compare/bench.hpp"

namespace pp::bench {

namespace json = boost::json;

namespace {

constexpr Scaled<int> kRounds{10, 3};
const std::vector<std::string> kChild = {"out:ready", "pause"};  // test helper actions

}  // namespace

void restart(Bench& b) {
  progress("restart");
  Measure rs{"restart", "restart command → new instance's first line in the log (ms)"};
  rs.peer_name = "`pm2 restart`";
  std::string helper = pp::test::kHelper;
  for (const auto& a : kChild) helper += " " + a;
  b.sess.call("ctrl", start_args(helper, b.work.path(), "rs"));
  std::string pm2_log(b.pm2.start("rs", pp::test::kHelper, kChild).at("out").as_string());
  await_ready(pm2_log, "pm2 rs");
  for (int i = 0; i < b.pick(kRounds); ++i) {
    {
      auto t0 = Clock::now();
      auto r = must(b.pp_cli({"--format", "json", "restart", "rs"}), "persistproc restart");
      // Each instance logs to files named by its pid: the first "ready" in them is the new one's.
      await_ready(std::string(json::parse(r.out).at("log_stdout").as_string()), "persistproc restart");
      rs.pp.push_back(ms_since(t0));
    }
    {
      // pm2 appends to the same log: the new "ready" comes after what is there now.
      long long from = file_size(pm2_log);
      auto t0 = Clock::now();
      must(b.pm2.run({"restart", "rs"}), "pm2 restart");
      await_ready(pm2_log, "pm2 restart", from);
      rs.peer.push_back(ms_since(t0));
    }
  }
  b.pm2.remove("rs");
  b.rows.push_back(rs);
}

}  // namespace pp::bench
