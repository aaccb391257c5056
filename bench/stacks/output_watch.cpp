#include "stacks/output_watch.hpp"

#include <fcntl.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <stdexcept>

namespace pp::bench {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kReadChunk = 1 << 16;
constexpr std::uint32_t kDirEvents = IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE;

bool ends_with(const std::string& s, const std::string& end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

}  // namespace

OutputWatch::OutputWatch(std::vector<Output> outputs, std::vector<std::string> needles)
    : outputs_(std::move(outputs)), needles_(std::move(needles)) {
  for (const auto& n : needles_) counts_[n] = 0;
  in_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (in_ < 0) throw std::runtime_error("inotify_init1");
  watch_dirs();
}

OutputWatch::~OutputWatch() { ::close(in_); }

// A directory that is not there yet is awaited through its parent's IN_CREATE.
void OutputWatch::watch_dirs() {
  for (const auto& o : outputs_) {
    if (watched_[o.dir]) continue;
    if (::inotify_add_watch(in_, o.dir.c_str(), kDirEvents) >= 0) {
      watched_[o.dir] = true;
    } else {
      std::string parent = fs::path(o.dir).parent_path().string();
      if (::inotify_add_watch(in_, parent.c_str(), IN_CREATE | IN_MOVED_TO) < 0)
        throw std::runtime_error("inotify on " + parent);
    }
  }
}

void OutputWatch::scan() {
  char ev[8192];
  while (::read(in_, ev, sizeof ev) > 0) {
  }
  watch_dirs();
  std::size_t longest = 0;
  for (const auto& n : needles_) longest = std::max(longest, n.size());
  std::vector<char> buf(kReadChunk);
  for (const auto& o : outputs_) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(o.dir, ec)) {
      std::string path = e.path().string();
      if (!ends_with(path, o.suffix)) continue;
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      File& f = files_[path];
      ssize_t n;
      while ((n = ::pread(fd, buf.data(), buf.size(), f.pos)) > 0) {
        f.pos += n;
        std::string s = f.carry + std::string(buf.data(), static_cast<std::size_t>(n));
        // A match that ends inside the carried bytes was counted with the last read.
        for (const auto& needle : needles_)
          for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + needle.size()))
            if (at + needle.size() > f.carry.size()) ++counts_[needle];
        f.carry = s.substr(s.size() - std::min(s.size(), longest - 1));
      }
      ::close(fd);
    }
  }
}

}  // namespace pp::bench
