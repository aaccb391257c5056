#include "supervise/log_set.hpp"

#include <algorithm>

#include "core/system_lines.hpp"

namespace pp {

namespace {
constexpr Stream kStreams[] = {Stream::out, Stream::err, Stream::combined};
}  // namespace

std::string LogSet::open(const LogPaths& paths) {
  paths_ = paths;
  for (Stream s : kStreams)
    if (std::string err = at(s).open(paths_.of(s)); !err.empty()) return err;
  if (!paths_.tty_path.empty()) return raw_.open(paths_.tty_path);
  return "";
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
  at(s).append(stamp, line);
  if (needs_escape(line))
    at(Stream::combined).append(stamp, "\\" + std::string(line));  // only [SYSTEM] lines of our own are real
  else
    at(Stream::combined).append(stamp, line);
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
  for (auto& f : files_) f.flush();
  raw_.flush();
  appended_.notify();
}

}  // namespace pp
