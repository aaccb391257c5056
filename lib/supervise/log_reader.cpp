#include "supervise/log_reader.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "core/posix_io.hpp"
#include "supervise/backward_lines.hpp"
#include "supervise/log_range.hpp"

namespace pp {

namespace {

constexpr std::size_t kBlock = 64 * 1024;

// Reads [off, off+len) fully (short only at end of file).
std::string pread_all(int fd, std::uint64_t off, std::size_t len) {
  std::string out(len, '\0');
  out.resize(pread_full(fd, out.data(), len, off));
  return out;
}

class Reader {
 public:
  Reader(int fd, const LogIndex& idx) : fd_(fd), idx_(idx) {}

  // Number of lines that start before `off` (a line start or the end).
  std::uint64_t line_number(std::uint64_t off) const {
    if (off >= idx_.size) return idx_.lines;
    const Checkpoint* cp = checkpoint_at_or_before(off);
    if (!cp) return 0;
    std::uint64_t n = cp->line;
    for (std::uint64_t p = cp->offset; p < off;) {
      std::string block = pread_all(fd_, p, static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, off - p)));
      if (block.empty()) break;
      n += static_cast<std::uint64_t>(std::count(block.begin(), block.end(), '\n'));
      p += block.size();
    }
    return n;
  }

  // Offset of the first line stamped at or after `t` (the end when none is).
  std::uint64_t first_at_or_after(Millis t) const {
    const auto& cps = idx_.checkpoints;
    auto it = std::lower_bound(cps.begin(), cps.end(), t, [](const Checkpoint& c, Millis v) { return c.stamp < v; });
    if (it == cps.begin()) return cps.empty() ? idx_.size : 0;
    std::uint64_t from = std::prev(it)->offset;
    std::uint64_t to = it == cps.end() ? idx_.size : it->offset;
    // Scan the lines in [from, to) for the first stamp >= t.
    std::uint64_t p = from;
    std::string carry;
    while (p < to) {
      std::string block = pread_all(fd_, p, static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, to - p)));
      if (block.empty()) break;
      std::uint64_t base = p - carry.size();
      carry += block;
      p += block.size();
      std::size_t start = 0;
      for (std::size_t nl; (nl = carry.find('\n', start)) != std::string::npos; start = nl + 1) {
        auto stamp = parse_line_stamp(std::string_view(carry).substr(start, nl - start));
        if (stamp && *stamp >= t) return base + start;
      }
      carry.erase(0, start);
    }
    return to;
  }

 private:
  const Checkpoint* checkpoint_at_or_before(std::uint64_t off) const {
    const auto& cps = idx_.checkpoints;
    auto it = std::upper_bound(cps.begin(), cps.end(), off, [](std::uint64_t v, const Checkpoint& c) { return v < c.offset; });
    return it == cps.begin() ? nullptr : &*std::prev(it);
  }

  int fd_;
  const LogIndex& idx_;
};

std::uint64_t line_number(const LogRange& log, std::uint64_t off) {
  const auto& parts = log.parts();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const LogRange::Part& p = parts[i];
    if (i + 1 == parts.size() || off < p.end())
      return p.line + Reader(p.fd.get(), p.index()).line_number(off - std::min(off, p.offset));
  }
  return 0;
}

std::uint64_t first_at_or_after(const LogRange& log, Millis t) {
  for (const LogRange::Part& p : log.parts()) {
    std::uint64_t local = Reader(p.fd.get(), p.index()).first_at_or_after(t);
    if (local < p.index().size) return p.offset + local;
  }
  return log.size();
}

// A search reads 1 MiB at a time: most blocks are then skipped whole by the
// pattern's quick test, at the speed of the test rather than of splitting lines.
constexpr std::size_t kGrepBlock = 1024 * 1024;

// The last q.lines lines of [floor, end), within the byte budget.
ReadResult tail(const LogRange& log, std::uint64_t floor, std::uint64_t end, const ReadQuery& q) {
  std::vector<std::string> rev;
  std::uint64_t first = end, bytes = 0;
  bool full = q.lines == 0;
  BackwardLines lines(log, floor, end, kBlock);
  for (std::string_view block; !full && !(block = lines.next()).empty();) {
    while (!full && !block.empty()) {
      std::string_view line = pop_last_line(block);
      // The first line always comes, however long; one past the budget ends the answer.
      full = !rev.empty() && bytes + line.size() > q.max_bytes;
      if (full) break;
      bytes += line.size();
      rev.emplace_back(line);
      first = lines.offset_of(line);
      full = rev.size() >= q.lines;
    }
  }
  ReadResult r;
  r.lines.assign(std::make_move_iterator(rev.rbegin()), std::make_move_iterator(rev.rend()));
  r.lines_before = line_number(log, first);
  r.lines_after = log.lines() - line_number(log, end);
  return r;
}

std::string_view text_of(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  return line.size() > kStampLen ? line.substr(kStampLen + 1) : std::string_view();
}

// Calls on_match(line) for each line of [from, to) whose text matches, last first.
// A block the pattern cannot match anywhere is skipped without splitting it.
template <class F>
void grep_backwards(const LogRange& log, std::uint64_t from, std::uint64_t to, const Pattern& pattern, F on_match) {
  BackwardLines lines(log, from, to, kGrepBlock);
  for (std::string_view block; !(block = lines.next()).empty();) {
    if (!pattern.may_match_some_line(block)) continue;
    while (!block.empty()) {
      std::string_view line = pop_last_line(block);
      if (pattern.search(text_of(line))) on_match(line);
    }
  }
}

// The last q.lines matches in [floor, end), within the byte budget; the counts are
// of matches.
ReadResult grep(const LogRange& log, std::uint64_t floor, std::uint64_t end, const ReadQuery& q) {
  ReadResult r;
  std::vector<std::string> rev;
  std::uint64_t bytes = 0;
  bool full = q.lines == 0;
  grep_backwards(log, floor, end, *q.pattern, [&](std::string_view line) {
    if (!full && (rev.empty() || bytes + line.size() <= q.max_bytes)) {
      rev.emplace_back(line);
      bytes += line.size();
      full = rev.size() >= q.lines;
    } else {
      full = true;
      ++r.lines_before;
    }
  });
  r.lines.assign(std::make_move_iterator(rev.rbegin()), std::make_move_iterator(rev.rend()));
  if (end < log.size()) grep_backwards(log, end, log.size(), *q.pattern, [&](std::string_view) { ++r.lines_after; });
  return r;
}

}  // namespace

ReadResult read_log(const LogFile& log, const ReadQuery& q) {
  return read_log(log.path(), &log.index(), q, log.backup_index());
}

ReadResult read_log(const std::string& path, const LogIndex* index, const ReadQuery& q,
                    const LogIndex* backup_index) {
  LogRange log;
  if (std::string error = log.open(path, index, backup_index); !error.empty()) {
    ReadResult r;
    r.error = std::move(error);
    return r;
  }
  std::uint64_t end = q.before ? first_at_or_after(log, *q.before) : log.size();
  std::uint64_t floor = q.since ? std::min(first_at_or_after(log, *q.since), end) : 0;
  return q.pattern ? grep(log, floor, end, q) : tail(log, floor, end, q);
}

}  // namespace pp
