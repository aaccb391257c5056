#include "client/log_follower.hpp"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>

namespace pp::client {

namespace asio = boost::asio;

LogFollower::LogFollower(const asio::any_io_executor& ex)
    : inotify_(ex, ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {}

LogFollower::~LogFollower() {
  if (fd_ >= 0) ::close(fd_);
}

std::string LogFollower::follow(const std::string& path, bool from_end) {
  if (watch_ >= 0) ::inotify_rm_watch(inotify_.native_handle(), watch_);
  if (fd_ >= 0) ::close(fd_);
  partial_.clear();
  watch_ = ::inotify_add_watch(inotify_.native_handle(), path.c_str(), IN_MODIFY | IN_CLOSE_WRITE);
  if (watch_ < 0) return "cannot watch " + path + ": " + std::strerror(errno);
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return "cannot read " + path + ": " + std::strerror(errno);
  offset_ = 0;
  skip_first_ = false;
  if (from_end) {
    struct stat st {};
    ::fstat(fd_, &st);
    offset_ = static_cast<std::uint64_t>(st.st_size);
    // Start at a line boundary: a line caught halfway through its write is not shown.
    char before = '\n';
    if (offset_ > 0 && ::pread(fd_, &before, 1, static_cast<off_t>(offset_ - 1)) == 1 && before != '\n')
      skip_first_ = true;
  }
  return "";
}

std::vector<LogFollower::Line> LogFollower::read_lines() {
  std::vector<Line> lines;
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::pread(fd_, buf, sizeof buf, static_cast<off_t>(offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::uint64_t base = offset_;
    offset_ += static_cast<std::uint64_t>(n);
    std::string_view data(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = data.find('\n')) != std::string_view::npos; data.remove_prefix(nl + 1)) {
      partial_.append(data.substr(0, nl));
      std::uint64_t end = base + static_cast<std::uint64_t>(data.data() - buf) + nl + 1;
      if (skip_first_)
        skip_first_ = false;
      else
        lines.push_back({std::move(partial_), end});
      partial_.clear();
    }
    partial_.append(data);  // the writer always ends lines; this is a write caught midway
  }
  return lines;
}

asio::awaitable<void> LogFollower::changed() {
  auto [ec] = co_await inotify_.async_wait(asio::posix::descriptor_base::wait_read,
                                           asio::as_tuple(asio::use_awaitable));
  if (ec) co_return;
  char buf[4096];
  while (::read(inotify_.native_handle(), buf, sizeof buf) > 0) {
  }
}

}  // namespace pp::client
