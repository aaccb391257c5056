// A full disk under a flood: the data directory on a 20 MiB tmpfs.
#include <signal.h>
#include <sys/mount.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>

#include "common/log_watch.hpp"
#include "common/session.hpp"
#include "stress/stress.hpp"

namespace pp::bench {

namespace {
constexpr long kLines = 400'000;          // 40 MB of output, 116 MB stamped into two logs
constexpr std::size_t kFiller = 4 << 20;  // removed once the flood is over: space comes back
constexpr std::size_t kStamp = 25;        // "<24-character stamp> "

// Intact flood lines ("%07ld " + 'x's, 100 bytes as written) and damaged ones.
std::pair<long, long> count_lines(const std::string& path) {
  long intact = 0, damaged = 0;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < kStamp || line.compare(kStamp, std::string::npos, "ready") == 0 ||
        line.compare(kStamp, std::string::npos, "after") == 0)
      continue;
    bool ok = line.size() == kStamp + 99 && line[kStamp + 7] == ' ' &&
              line.find_first_not_of("0123456789", kStamp) == kStamp + 7 &&
              line.find_first_not_of('x', kStamp + 8) == std::string::npos;
    ++(ok ? intact : damaged);
  }
  return {intact, damaged};
}

// The sum of "[SYSTEM] Lost <n> lines of <log>" for `log` in the combined file.
long reported_lost(const std::string& combined, const std::string& log) {
  std::ifstream in(combined);
  std::regex lost("\\[SYSTEM\\] Lost ([0-9]+) lines? of " + log + ":");
  long sum = 0;
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, m, lost)) sum += std::stol(m[1]);
  return sum;
}
}  // namespace

void full_disk(const std::string& work) {
  std::string mnt = work + "/tmpfs";
  std::filesystem::create_directories(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=20m,mode=0700") != 0) {
    std::printf("full disk: skipped, mounting a tmpfs is not permitted here (%s); run as root\n", std::strerror(errno));
    return;
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  std::string filler = mnt + "/filler";
  std::ofstream(filler) << std::string(kFiller, 'f');
  std::string done = work + "/flood.done";
  {
    pp::test::Server s(pp::test::Server::OnDataDir::at(mnt + "/data"), {"-q", "--max-log-size", "0"});
    Session sess(s.port(), s.token());
    auto r = sess.call("ctrl", start_args(kFlood + " " + std::to_string(kLines) + " stay done=" + done, work, "full"));
    std::string out(r.at("log_stdout").as_string()), combined(r.at("log_combined").as_string());
    int pid = as_int(r.at("pid"));
    await_ready(out, "flood on tmpfs");
    ::kill(pid, SIGUSR1);
    if (!await_count(done, 0, "done", 1, std::chrono::seconds(300))) throw std::runtime_error("the flood did not finish");
    std::filesystem::remove(filler);  // space is back
    ::kill(pid, SIGUSR2);             // one more line, after all the flood's: writing resumes
    if (!await_count(out, 0, "after\n", 1, std::chrono::seconds(60))) throw std::runtime_error("no line after the flood");
    auto [intact, damaged] = count_lines(out);
    long lost = reported_lost(combined, "stdout");
    std::printf("full disk (20 MiB tmpfs): %ld lines written; stdout log holds %ld intact, %ld corrupted; "
                "%ld reported lost; intact + reported = %ld (%s)\n",
                kLines, intact, damaged, lost, intact + lost, intact + lost == kLines ? "exact" : "MISMATCH");
    sess.call("ctrl", {{"action", "stop"}, {"pid", pid}, {"force", true}});
  }
}

}  // namespace pp::bench
