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

// inotify on a file's directory: wakes on the file's creation and on every write.
class DirWatch {
 public:
  explicit DirWatch(const std::string& path) : in_(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) {
    std::string dir = std::filesystem::path(path).parent_path().string();
    if (in_ < 0 || ::inotify_add_watch(in_, dir.c_str(), IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
      if (in_ >= 0) ::close(in_);
      throw std::runtime_error("inotify on " + dir);
    }
  }
  DirWatch(const DirWatch&) = delete;
  DirWatch& operator=(const DirWatch&) = delete;
  ~DirWatch() { ::close(in_); }

  // Until the next change in the directory; false once the deadline passed.
  bool wait(Clock::time_point deadline) {
    pollfd p{in_, POLLIN, 0};
    int left = ms_left(deadline);
    if (left == 0 || ::poll(&p, 1, left) == 0) return false;
    char ev[8192];
    while (::read(in_, ev, sizeof ev) > 0) {
    }
    return true;
  }

 private:
  int in_;
};

}  // namespace

long long file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

// It reads only what was appended since the last look.
bool await_count(const std::string& path, long long from, const std::string& needle, long count,
                 std::chrono::milliseconds bound, long* seen_out) {
  auto deadline = Clock::now() + bound;
  DirWatch watch(path);
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
    if (found || !watch.wait(deadline)) break;
  }
  if (fd >= 0) ::close(fd);
  if (seen_out) *seen_out = seen;
  return found;
}

bool await_size(const std::string& path, long long size, std::chrono::milliseconds bound, long long* size_out) {
  return await_tail(path, size, 0, [](std::string_view) { return true; }, bound, size_out);
}

bool await_tail(const std::string& path, long long size, std::size_t tail,
                const std::function<bool(std::string_view tail)>& done, std::chrono::milliseconds bound,
                long long* size_out) {
  auto deadline = Clock::now() + bound;
  DirWatch watch(path);
  int fd = -1;
  long long now = 0;
  std::string last(tail, '\0');
  bool found = false;
  for (;;) {
    if (fd < 0) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd >= 0 && ::fstat(fd, &st) == 0) now = st.st_size;
    if (now >= size) {
      long long from = std::max(0LL, now - static_cast<long long>(tail));
      ssize_t n = tail == 0 ? 0 : ::pread(fd, last.data(), static_cast<std::size_t>(now - from), from);
      found = n >= 0 && done(std::string_view(last.data(), static_cast<std::size_t>(n)));
    }
    if (found || !watch.wait(deadline)) break;
  }
  if (fd >= 0) ::close(fd);
  if (size_out) *size_out = now;
  return found;
}

void await_ready(const std::string& log, const std::string& who, long long from) {
  if (!await_count(log, from, "ready\n", 1)) throw std::runtime_error(who + ": no ready line in " + log);
}

}  // namespace pp::bench
