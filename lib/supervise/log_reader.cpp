#include "supervise/log_reader.hpp"

#include <algorithm>
#include <cstring>

#include "core/posix_io.hpp"
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

// Matching lines of [from, to): whole blocks of lines are read backwards, and a
// block the pattern cannot match anywhere is skipped without splitting it.
constexpr std::size_t kGrepBlock = 1024 * 1024;

std::string_view text_of(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  return line.size() > kStampLen ? line.substr(kStampLen + 1) : std::string_view();
}

// Calls on_match(line) for each matching line of [from, to), last first. One
// buffer is reused for every block: fresh megabyte allocations would cost a page
// fault per page, several times the search itself.
template <class F>
void grep_backwards(const LogRange& log, std::uint64_t from, std::uint64_t to, const Pattern& pattern, F on_match) {
  std::vector<char> buf;
  std::string carry;  // the start of a line that begins in an earlier block (usually short)
  std::uint64_t pos = to;
  while (pos > from || !carry.empty()) {
    std::uint64_t start = pos - std::min<std::uint64_t>(kGrepBlock, pos - from);
    auto n = static_cast<std::size_t>(pos - start);
    if (buf.size() < n + carry.size()) buf.resize(std::max(n + carry.size(), kGrepBlock + 4096));
    if (n > 0 && log.read(start, buf.data(), n) < n) return;  // shorter than its index says
    std::memcpy(buf.data() + n, carry.data(), carry.size());
    std::string_view block(buf.data(), n + carry.size());
    pos = start;
    carry.clear();
    // Keep back a partial first line unless this block starts at `from`.
    std::size_t cut = 0;
    if (pos > from) {
      std::size_t nl = block.find('\n');
      if (nl == std::string_view::npos || nl + 1 == block.size()) {  // one long line: read further back
        carry.assign(block);
        continue;
      }
      cut = nl + 1;
      carry.assign(block.substr(0, cut));
    }
    std::string_view lines = block.substr(cut);
    if (lines.empty() || !pattern.may_match_some_line(lines)) continue;
    std::size_t end = lines.size();
    while (end > 0) {
      std::size_t begin = end >= 2 ? lines.rfind('\n', end - 2) : std::string_view::npos;
      begin = begin == std::string_view::npos ? 0 : begin + 1;
      std::string_view line = lines.substr(begin, end - begin);
      if (pattern.search(text_of(line)))
        if (!on_match(line)) return;
      end = begin;
    }
  }
}

ReadResult grep_log(const LogRange& log, std::uint64_t floor, std::uint64_t end, const ReadQuery& q) {
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
    return true;
  });
  r.lines.assign(std::make_move_iterator(rev.rbegin()), std::make_move_iterator(rev.rend()));
  if (end < log.size())
    grep_backwards(log, end, log.size(), *q.pattern, [&](std::string_view) {
      ++r.lines_after;
      return true;
    });
  return r;
}

}  // namespace

ReadResult read_log(const LogFile& log, const ReadQuery& q) {
  return read_log(log.path(), &log.index(), q, log.backup_index());
}

ReadResult read_log(const std::string& path, const LogIndex* index, const ReadQuery& q,
                    const LogIndex* backup_index) {
  ReadResult r;
  LogRange log;
  r.error = log.open(path, index, backup_index);
  if (!r.error.empty()) return r;

  std::uint64_t end = q.before ? first_at_or_after(log, *q.before) : log.size();
  std::uint64_t floor = q.since ? std::min(first_at_or_after(log, *q.since), end) : 0;
  if (q.pattern) return grep_log(log, floor, end, q);

  // Walk back from `end`, block by block, taking whole lines that start at or after `floor`.
  std::vector<std::string> rev;
  std::string tail;  // bytes [pos, pos + tail.size()) not yet turned into lines
  std::uint64_t pos = end, first = end, bytes = 0;
  while (rev.size() < q.lines) {
    std::size_t search_end = tail.size() >= 2 ? tail.size() - 2 : std::string::npos;
    std::size_t k = tail.size() >= 2 ? tail.rfind('\n', search_end) : std::string::npos;
    if (k != std::string::npos) {
      bytes += tail.size() - (k + 1);
      if (!rev.empty() && bytes > q.max_bytes) break;
      rev.push_back(tail.substr(k + 1));
      tail.resize(k + 1);
      first = pos + k + 1;
      continue;
    }
    if (pos <= floor) {
      if (!tail.empty() && (rev.empty() || bytes + tail.size() <= q.max_bytes)) {
        rev.push_back(std::move(tail));
        first = pos;
      }
      break;
    }
    std::uint64_t from = pos - std::min<std::uint64_t>(kBlock, pos - floor);
    std::string block(static_cast<std::size_t>(pos - from), '\0');
    block.resize(log.read(from, block.data(), block.size()));
    tail.insert(0, block);
    pos = from;
  }
  r.lines.assign(std::make_move_iterator(rev.rbegin()), std::make_move_iterator(rev.rend()));
  r.lines_before = line_number(log, first);
  r.lines_after = log.lines() - line_number(log, end);
  return r;
}

}  // namespace pp
