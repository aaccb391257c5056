// pp_bench_scale: issue 16's scale figures, each as a table by size so the cost
// curve shows (bench/README.md#scale). Sections, run in this order:
//   processes    N running processes in one table: start throughput, server RSS per
//                process, `list`'s server CPU per call, `shutdown` -> all exited
//   latency      item 5 with N processes running: death -> visible in `list`,
//                death -> `exited` on the stream, `wait_for`'s line -> ctrl returned
//   subscribers  N event streams: death -> the notification at each
//   followers    N `persistproc run` on one flooding child: display latency, CPU
// Every wait awaits an event (a pidfd, a reply, a notification, a terminal's
// output, inotify); timeouts are failure bounds. Nothing is left running: this
// process reaps its orphans and kills everything below it at the end and on
// SIGINT, SIGTERM or SIGHUP.
//   pp_bench_scale [--quick] [--sizes 10,100,1000] [--followers 0,10,50,100]
//                  [--only SECTION,...] [--rounds N] [--flood-lines N] [--flood-rate N]
//                  [--json FILE] [--meta K=V ...]
#include <sys/resource.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <set>

#include "common/procs.hpp"
#include "common/timing.hpp"
#include "scale/scale.hpp"
#include "support/test_support.hpp"

using namespace pp::bench;
namespace json = boost::json;

namespace {

const std::vector<int> kSizes = {10, 100, 1000}, kQuickSizes = {10, 100};
const std::vector<int> kFollowers = {0, 10, 50, 100}, kQuickFollowers = {0, 10, 50};
constexpr long kFloodLines = 2000, kFloodRate = 1000;
const std::set<std::string> kSections = {"processes", "latency", "subscribers", "followers"};

struct Options {
  Scale sc;
  std::set<std::string> only;
  std::string json_path;
  json::object meta;
};

constexpr const char* kUsage =
    "usage: pp_bench_scale [--quick] [--sizes N,...] [--followers N,...] [--only SECTION,...]\n"
    "                      [--rounds N] [--flood-lines N] [--flood-rate N] [--json FILE] [--meta K=V ...]\n"
    "sections: processes, latency, subscribers, followers\n";

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::string s = list + ",";
  for (auto at = s.find(','); at != std::string::npos; s.erase(0, at + 1), at = s.find(','))
    if (at > 0) out.push_back(s.substr(0, at));
  return out;
}

std::vector<int> numbers(const std::string& list, int least) {
  std::vector<int> out;
  for (const auto& s : split(list)) {
    std::size_t used = 0;
    int v = std::stoi(s, &used);
    if (used != s.size() || v < least) throw std::runtime_error("not a size: " + s);
    out.push_back(v);
  }
  if (out.empty()) throw std::runtime_error("no sizes in '" + list + "'");
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  bool sizes_set = false, followers_set = false;
  o.sc.flood_lines = kFloodLines;
  o.sc.flood_rate = kFloodRate;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--quick") {
      o.sc.quick = true;
    } else if (a == "--sizes") {
      o.sc.sizes = numbers(next(), 1);
      sizes_set = true;
    } else if (a == "--followers") {
      o.sc.followers = numbers(next(), 0);
      followers_set = true;
    } else if (a == "--only") {
      for (const auto& s : split(next())) {
        if (!kSections.count(s)) throw std::runtime_error("no section " + s);
        o.only.insert(s);
      }
    } else if (a == "--rounds") {
      o.sc.rounds = numbers(next(), 1).at(0);
    } else if (a == "--flood-lines") {
      o.sc.flood_lines = numbers(next(), 1).at(0);
    } else if (a == "--flood-rate") {
      o.sc.flood_rate = numbers(next(), 1).at(0);
    } else if (a == "--json") {
      o.json_path = next();
    } else if (a == "--meta") {
      std::string kv = next();
      auto eq = kv.find('=');
      o.meta[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
    } else {
      throw std::runtime_error("unknown argument " + a);
    }
  }
  if (!sizes_set) o.sc.sizes = o.sc.quick ? kQuickSizes : kSizes;
  if (!followers_set) o.sc.followers = o.sc.quick ? kQuickFollowers : kFollowers;
  return o;
}

// 1,000 processes' pidfds and 200 subscribers' sockets are more than the usual
// 1,024 descriptors; the hard limit is ours to take.
void raise_fd_limit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace

namespace pp::bench {

void progress(const std::string& what) {
  std::fprintf(stderr, "bench scale: %s\n", what.c_str());
  std::fflush(stderr);
}

}  // namespace pp::bench

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pp_bench_scale: %s\n%s", e.what(), kUsage);
    return 2;
  }
  auto wanted = [&](const char* s) { return o.only.empty() || o.only.count(s) > 0; };
  raise_fd_limit();
  become_subreaper();
  sweep_on_signals();
  auto t0 = Clock::now();
  Scale& sc = o.sc;
  std::string load_at_start = pp::test::read_file("/proc/loadavg");
  int code = 0;
  try {
    if (wanted("processes") || wanted("latency")) processes_and_latency(sc, wanted("processes"), wanted("latency"));
    if (wanted("subscribers")) subscribers(sc);
    if (wanted("followers")) followers(sc);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pp_bench_scale: %s\n", e.what());
    code = 1;
  }
  sweep();  // a server that failed midway may have left processes to us
  std::string load_at_end = pp::test::read_file("/proc/loadavg");
  for (const auto& g : sc.grids) std::printf("%s\n", g.markdown().c_str());
  std::printf("load average: %s at the start, %s at the end\n", load_at_start.substr(0, 14).c_str(),
              load_at_end.substr(0, 14).c_str());
  if (!o.json_path.empty()) {
    json::object doc;
    doc["meta"] = o.meta;
    doc["meta"].as_object()["quick"] = sc.quick;
    doc["meta"].as_object()["duration_s"] = ms_since(t0) / 1000;
    doc["meta"].as_object()["loadavg_at_start"] = load_at_start;
    doc["meta"].as_object()["loadavg_at_end"] = load_at_end;
    json::object sections;
    for (const auto& g : sc.grids) sections[g.key] = g.json();
    doc["sections"] = sections;
    doc["extra"] = sc.extra;
    std::ofstream(o.json_path) << json::serialize(doc) << "\n";
    std::fprintf(stderr, "bench scale: %.0f s; JSON in %s\n", ms_since(t0) / 1000, o.json_path.c_str());
  }
  return code;
}
