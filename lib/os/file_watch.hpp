// "This file changed" and "a file of this name appeared in this directory", as
// one awaitable: Linux inotify on an Asio descriptor, no timers, no polling. The
// one place that knows inotify, so a port replaces this file (kqueue, FSEvents).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <string>

namespace pp::os {

class FileWatch {
 public:
  explicit FileWatch(const boost::asio::any_io_executor& ex);
  FileWatch(const FileWatch&) = delete;
  FileWatch& operator=(const FileWatch&) = delete;

  // Watches `dir` for `name` being created or moved in (other names there are
  // ignored). Replaces an earlier directory watch. "" or an error message.
  std::string watch_dir(const std::string& dir, const std::string& name);
  // Watches the open file `fd` itself, whatever it is named now, for writes, a
  // writer closing it and renames. Replaces an earlier file watch. "" or an error
  // message naming `path` (what the caller calls the file).
  std::string watch_file(int fd, const std::string& path);
  // Drops both watches.
  void clear();
  // Returns once something watched happened, or the watch is gone (an error).
  boost::asio::awaitable<void> changed();

 private:
  boost::asio::posix::stream_descriptor inotify_;
  std::string name_;
  int dir_watch_ = -1;
  int file_watch_ = -1;
};

}  // namespace pp::os
