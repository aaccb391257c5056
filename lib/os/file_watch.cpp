#include "os/file_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>

namespace pp::os {

namespace asio = boost::asio;

namespace {
// Whether a batch of inotify events concerns us: everything on the watched file
// does; in the directory only our own name (other logs live there too).
// Not in the coroutine: each event is copied out of the byte buffer (a cast would
// be misaligned in a coroutine frame, whose buffers g++ 12 does not align) and an
// inotify_event, with its flexible array member, cannot live in a frame.
bool concerns_us(const char* buf, std::size_t n, int dir_watch, const std::string& name) {
  bool ours = false;
  for (const char* p = buf; p + sizeof(inotify_event) <= buf + n;) {
    inotify_event ev;
    std::memcpy(&ev, p, sizeof ev);
    const char* ev_name = p + sizeof(inotify_event);  // NUL-padded to ev.len bytes
    if (ev.wd != dir_watch || (ev.len > 0 && name == std::string_view(ev_name, ::strnlen(ev_name, ev.len))))
      ours = true;
    p += sizeof(inotify_event) + ev.len;
  }
  return ours;
}

// Reads every event queued now; true when one concerns us.
bool drain(int fd, int dir_watch, const std::string& name) {
  bool ours = false;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) ours = concerns_us(buf, static_cast<std::size_t>(n), dir_watch, name) || ours;
  return ours;
}
}  // namespace

FileWatch::FileWatch(const asio::any_io_executor& ex) : inotify_(ex, ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {}

std::string FileWatch::watch_dir(const std::string& dir, const std::string& name) {
  int in = inotify_.native_handle();
  if (dir_watch_ >= 0) ::inotify_rm_watch(in, dir_watch_);
  name_ = name;
  dir_watch_ = ::inotify_add_watch(in, dir.c_str(), IN_CREATE | IN_MOVED_TO);
  return dir_watch_ < 0 ? "cannot watch " + dir + ": " + std::strerror(errno) : "";
}

std::string FileWatch::watch_file(int fd, const std::string& path) {
  int in = inotify_.native_handle();
  if (file_watch_ >= 0) ::inotify_rm_watch(in, file_watch_);
  // Through /proc so the watch is on the very file we hold, whatever its name is now.
  std::string self = "/proc/self/fd/" + std::to_string(fd);
  file_watch_ = ::inotify_add_watch(in, self.c_str(), IN_MODIFY | IN_CLOSE_WRITE | IN_MOVE_SELF);
  return file_watch_ < 0 ? "cannot watch " + path + ": " + std::strerror(errno) : "";
}

void FileWatch::clear() {
  int in = inotify_.native_handle();
  if (file_watch_ >= 0) ::inotify_rm_watch(in, file_watch_);
  if (dir_watch_ >= 0) ::inotify_rm_watch(in, dir_watch_);
  file_watch_ = dir_watch_ = -1;
}

asio::awaitable<void> FileWatch::changed() {
  for (;;) {
    auto [ec] = co_await inotify_.async_wait(asio::posix::descriptor_base::wait_read,
                                             asio::as_tuple(asio::use_awaitable));
    if (ec || drain(inotify_.native_handle(), dir_watch_, name_)) co_return;
  }
}

}  // namespace pp::os
