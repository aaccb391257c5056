#include "compare/bench.hpp"

#include <boost/json.hpp>
#include <cstdio>

namespace pp::bench {

void progress(const std::string& what) {
  std::fprintf(stderr, "bench: %s\n", what.c_str());
  std::fflush(stderr);
}

Bench::Bench(const std::string& npm_dir, const std::string& pm2_home, bool quick_run)
    : npm(npm_dir),
      quick(quick_run),
      pp({"-q", "--max-log-size", "0"}),  // no rotation: pm2 rotates nothing either
      pp_env({{"PERSISTPROC_PORT", std::to_string(pp.port())},
              {"PERSISTPROC_DATA_DIR", pp.data_dir()},
              {"PERSISTPROC_FORMAT", ""},
              {"PERSISTPROC_TOKEN", ""}}),
      sess(pp.port(), pp.token()),
      pm2(npm_dir, pm2_home) {
  extra["pm2_version"] = pm2.run({"--version"}).out;
}

Ran Bench::pp_cli(std::vector<std::string> args) const {
  args.insert(args.begin(), pp::test::kBin);
  return run_cmd(args, pp_env);
}

}  // namespace pp::bench
