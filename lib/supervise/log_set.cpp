#include "supervise/log_set.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "core/logger.hpp"
#include "core/system_lines.hpp"

namespace pp {

namespace {
constexpr Stream kStreams[] = {Stream::out, Stream::err, Stream::combined};
const char* const kStreamNames[] = {"stdout", "stderr", "combined"};
// Far more than pids come round while logs are kept; a bound so a broken
// directory cannot loop forever.
constexpr int kMaxSerial = 10000;

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

bool any_exists(const LogPaths& p) {
  for (const std::string* path : {&p.stdout_path, &p.stderr_path, &p.combined_path, &p.tty_path})
    if (!path->empty() && (exists(*path) || exists(backup_path(*path)))) return true;
  return false;
}
}  // namespace

std::string LogSet::open(const LogPaths& paths) {
  paths_ = paths;
  std::string err;
  for (Stream s : kStreams)
    if (err.empty()) err = at(s).open(paths_.of(s));
  if (err.empty() && !paths_.tty_path.empty()) err = raw_.open(paths_.tty_path);
  if (err.empty()) return "";
  // No half-created set: what was created here goes again.
  close();
  for (Stream s : kStreams)
    if (at(s).path() == paths_.of(s)) ::unlink(paths_.of(s).c_str());
  return err;
}

std::string LogSet::open_unique(const std::string& dir, int pid, const std::vector<std::string>& command, bool tty) {
  for (int serial = 1; serial <= kMaxSerial; ++serial) {
    LogPaths p = log_paths_for(dir, pid, command, serial);
    if (tty) p = with_tty_path(std::move(p));
    if (!any_exists(p)) return open(p);
  }
  return "no free log file name for PID " + std::to_string(pid) + " in " + dir;
}

void LogSet::close() {
  for (auto& f : files_) f.close();
  raw_.close();
}

void LogSet::set_max_size(std::uint64_t bytes) {
  for (auto& f : files_) f.set_max_size(bytes);
  raw_.set_max_size(bytes);
}

Millis LogSet::next_stamp() {
  last_stamp_ = std::max(last_stamp_, now_ms());
  return last_stamp_;
}

void LogSet::write_line(Stream s, std::string_view line, Millis stamp) {
  at(s).append_line(stamp, line);
  if (needs_escape(line))
    at(Stream::combined).append_line(stamp, "\\" + std::string(line));  // only [SYSTEM] lines of our own are real
  else
    at(Stream::combined).append_line(stamp, line);
  if (watchers_.empty()) return;
  std::erase_if(watchers_, [](const auto& w) { return w.expired(); });
  for (const auto& w : watchers_)
    if (auto sp = w.lock()) sp->on_line(line, stamp);
}

void LogSet::system_line(const std::string& text) {
  at(Stream::combined).append(next_stamp(), std::string(kSystemTag) + text);
  flush();
}

void LogSet::flush() {
  // The terminal's bytes first: `run` on a terminal follows the .tty file, so
  // whatever a stamped log already shows must be in it too.
  raw_.flush();
  for (auto& f : files_) f.flush();
  report_trouble();
  appended_.notify();
}

void LogSet::report_trouble() {
  for (Stream s : kStreams) {
    auto i = static_cast<std::size_t>(s);
    LogFile& f = files_[i];
    if (f.failing() && !warned_[i]) {
      logger::warning("cannot write " + f.path() + " (" + f.error() + "): its lines are dropped, and counted, until "
                      "writing works again");
      warned_[i] = true;
    }
    if (!f.failing() && f.lost() > 0) {
      warned_[i] = false;
      logger::warning("writing " + f.path() + " works again; " + std::to_string(f.lost()) + " lines were lost");
      std::uint64_t lost = f.take_lost();
      at(Stream::combined).append(next_stamp(), std::string(kSystemTag) + lost_lines_text(lost, kStreamNames[i], f.error()));
    }
    if (f.reopened() > reopened_seen_[i]) {
      reopened_seen_[i] = f.reopened();
      logger::warning("log file " + f.path() + " was deleted while in use; started it again");
      at(Stream::combined).append(next_stamp(), std::string(kSystemTag) + reopened_text(f.path()));
    }
  }
  at(Stream::combined).flush();  // (a loss of these lines is counted like any other)
}

}  // namespace pp
