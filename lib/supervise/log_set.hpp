// An instance's three log files (docs/logs.md#files): stdout, stderr and the
// combined log of both, and for a process on a PTY the raw `.tty` file. Each output line goes to its stream's file and then to the
// combined one, so the combined log holds both streams in the order they were
// read, and to the line watchers. Stamps never go backwards within a set.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/log_paths.hpp"
#include "supervise/log_file.hpp"
#include "supervise/raw_log.hpp"

namespace pp {

// Sees each stdout/stderr line as it is logged (before `appended` fires); held
// weakly, so a watcher that goes away simply stops being called.
class LineWatcher {
 public:
  virtual ~LineWatcher() = default;
  virtual void on_line(std::string_view line, Millis stamp) = 0;
};

class LogSet {
 public:
  explicit LogSet(const boost::asio::any_io_executor& ex) : appended_(ex) {}
  LogSet(const LogSet&) = delete;
  LogSet& operator=(const LogSet&) = delete;

  // Creates the three files of `paths` (four with a tty_path), none of which may
  // exist; returns an error message or "". On an error none is left behind.
  std::string open(const LogPaths& paths);
  // The same under the first name for `pid` and `command` in `dir` that no file
  // (or backup) has yet: an ended instance whose pid came round again keeps its logs
  // (docs/logs.md#files).
  std::string open_unique(const std::string& dir, int pid, const std::vector<std::string>& command, bool tty);
  // Flushes and closes the files; reading them goes on by path and index.
  void close();
  const LogPaths& paths() const { return paths_; }
  const LogFile& file(Stream s) const { return files_[static_cast<std::size_t>(s)]; }
  // Caps each of the files (LogFile::set_max_size).
  void set_max_size(std::uint64_t bytes);

  // Now, or the last stamp handed out if the clock went back: readers
  // binary-search the logs by time.
  Millis next_stamp();
  // A line of `s` (stdout or stderr), without a newline (as LineSplitter cuts them): to its file, to the combined log (behind a
  // backslash when it looks like a system line, docs/logs.md#lines), then to the
  // watchers. Buffered until flush().
  void write_line(Stream s, std::string_view line, Millis stamp);
  // Bytes as read from the terminal, to the `.tty` file. Buffered until flush().
  void write_raw(std::string_view bytes) { raw_.append(bytes); }
  // "[SYSTEM] <text>" to the combined log, stamped now, then flush().
  void system_line(const std::string& text);
  // Writes what the files buffer, then notifies `appended`: once per batch of lines.
  // Lines a full disk made the files drop are reported once writing works again
  // ([SYSTEM] line in the combined log; a server-log warning when the loss begins),
  // and so is a file found deleted and started again.
  void flush();

  Pulse& appended() { return appended_; }
  void add_line_watcher(std::weak_ptr<LineWatcher> w) { watchers_.push_back(std::move(w)); }

 private:
  LogFile& at(Stream s) { return files_[static_cast<std::size_t>(s)]; }
  void report_trouble();

  LogPaths paths_;
  std::array<LogFile, 3> files_;  // indexed by Stream
  RawLog raw_;                    // open for a process on a PTY only
  Millis last_stamp_ = 0;
  std::array<bool, 3> warned_{};                 // a loss began and was logged, per file
  std::array<std::uint64_t, 3> reopened_seen_{};  // reopenings already reported, per file
  Pulse appended_;
  std::vector<std::weak_ptr<LineWatcher>> watchers_;
};

}  // namespace pp
