#include "common/log_watch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "common/timing.hpp"

namespace pp::bench {

namespace {

constexpr std::size_t kReadChunk = 1 << 20;

}  // namespace

long long file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

// inotify on the file's directory wakes it on the file's creation and every write;
// it reads only what was appended since the last look.
bool await_count(const std::string& path, long long from, const std::string& needle, long count,
                 std::chrono::milliseconds bound, long* seen_out) {
  auto deadline = Clock::now() + bound;
  int in = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (in < 0 || ::inotify_add_watch(in, dir.c_str(), IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
    throw std::runtime_error("inotify on " + dir);
  int fd = -1;
  long long pos = from;
  long seen = 0;
  std::string carry;  // the tail of the last chunk, for a needle split across two
  std::vector<char> buf(kReadChunk);
  bool found = false;
  while (!found) {
    if (fd < 0) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ssize_t n = 0;
    while (fd >= 0 && !found && (n = ::pread(fd, buf.data(), buf.size(), pos)) > 0) {
      pos += n;
      if (needle.size() == 1) {
        seen += std::count(buf.data(), buf.data() + n, needle[0]);
      } else {
        std::string s = carry + std::string(buf.data(), static_cast<std::size_t>(n));
        for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + needle.size())) ++seen;
        carry = s.substr(s.size() - std::min(s.size(), needle.size() - 1));
      }
      found = seen >= count;
    }
    if (found) break;
    pollfd p{in, POLLIN, 0};
    int left = ms_left(deadline);
    if (left == 0 || ::poll(&p, 1, left) == 0) break;
    char ev[8192];
    while (::read(in, ev, sizeof ev) > 0) {
    }
  }
  if (fd >= 0) ::close(fd);
  ::close(in);
  if (seen_out) *seen_out = seen;
  return found;
}

void await_ready(const std::string& log, const std::string& who, long long from) {
  if (!await_count(log, from, "ready\n", 1)) throw std::runtime_error(who + ": no ready line in " + log);
}

}  // namespace pp::bench
