#include "supervise/log_reader.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "supervise/backward_lines.hpp"
#include "supervise/log_range.hpp"

namespace pp {

namespace {

// The tail and the index lookups read 64 KiB at a time: the last 100 lines, or a
// stretch between two checkpoints, is about one block.
constexpr std::size_t kBlock = 64 * 1024;
// A search reads 1 MiB at a time: most blocks are then skipped whole by the
// pattern's quick test, at the speed of the test rather than of splitting lines.
constexpr std::size_t kGrepBlock = 1024 * 1024;

// The part of the log that holds `off` (the last one for the end).
const LogRange::Part& part_at(const LogRange& log, std::uint64_t off) {
  for (const LogRange::Part& p : log.parts())
    if (off < p.end()) return p;
  return log.parts().back();
}

// Number of lines that start before `off` (a line start or the end): the nearest
// checkpoint's line number plus the newlines between it and `off`.
std::uint64_t line_number(const LogRange& log, std::uint64_t off) {
  const LogRange::Part& p = part_at(log, off);
  const LogIndex& idx = p.index;
  std::uint64_t local = off - std::min(off, p.offset);
  if (local >= idx.size) return p.line + idx.lines;
  const auto& cps = idx.checkpoints;
  auto cp = std::upper_bound(cps.begin(), cps.end(), local, [](std::uint64_t v, const Checkpoint& c) { return v < c.offset; });
  if (cp == cps.begin()) return p.line;
  --cp;
  std::uint64_t n = p.line + cp->line;
  BackwardLines lines(log, p.offset + cp->offset, p.offset + local, kBlock);
  for (std::string_view block; !(block = lines.next()).empty();)
    n += static_cast<std::uint64_t>(std::count(block.begin(), block.end(), '\n'));
  return n;
}

// Offset in part `p` of its first line stamped at or after `t` (its end when none
// is): a binary search over the checkpoints' stamps, then the stretch before the
// first checkpoint at or after `t` is read for the line.
std::uint64_t first_in_part_at_or_after(const LogRange& log, const LogRange::Part& p, Millis t) {
  const LogIndex& idx = p.index;
  const auto& cps = idx.checkpoints;
  auto it = std::lower_bound(cps.begin(), cps.end(), t, [](const Checkpoint& c, Millis v) { return c.stamp < v; });
  if (it == cps.begin()) return cps.empty() ? idx.size : 0;
  std::uint64_t from = std::prev(it)->offset;
  std::uint64_t to = it == cps.end() ? idx.size : it->offset;
  // Walked from the end, the earliest line that qualifies is the last one seen. A
  // last piece without its newline is no line yet: lines are counted by newlines.
  std::uint64_t first = p.offset + to;
  BackwardLines lines(log, p.offset + from, p.offset + to, kBlock);
  for (std::string_view block; !(block = lines.next()).empty();) {
    while (!block.empty()) {
      std::string_view line = pop_last_line(block);
      auto stamp = parse_line_stamp(line);
      if (line.back() == '\n' && stamp && *stamp >= t) first = lines.offset_of(line);
    }
  }
  return first - p.offset;
}

// Offset of the first line stamped at or after `t` (the end when none is).
std::uint64_t first_at_or_after(const LogRange& log, Millis t) {
  for (const LogRange::Part& p : log.parts()) {
    std::uint64_t local = first_in_part_at_or_after(log, p, t);
    if (local < p.index.size) return p.offset + local;
  }
  return log.size();
}

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
// Returns where it stopped: `from` once done, later when `budget` ran out first.
template <class F>
std::uint64_t grep_backwards(const LogRange& log, std::uint64_t from, std::uint64_t to, const Pattern& pattern,
                             ReadBudget& budget, F on_match) {
  BackwardLines lines(log, from, to, kGrepBlock);
  for (std::string_view block; !(block = lines.next()).empty();) {
    if (pattern.may_match_some_line(block)) {
      while (!block.empty()) {
        std::string_view line = pop_last_line(block);
        if (pattern.search(text_of(line))) on_match(line);
      }
    }
    if (lines.position() > from && budget.spent()) return lines.position();
  }
  return from;
}

// "lines 10 to 20 of 30 (stamped <first> to <last>)": the lines of [from, to), a
// stretch that holds some.
std::string describe_lines(const LogRange& log, std::uint64_t from, std::uint64_t to) {
  std::string text = "lines " + std::to_string(line_number(log, from) + 1) + " to " +
                     std::to_string(line_number(log, to)) + " of " + std::to_string(log.lines());
  char head[kStampLen];
  auto first = parse_line_stamp({head, log.read(from, head, kStampLen)});
  BackwardLines lines(log, from, to, kBlock);
  std::string_view block = lines.next();
  auto last = block.empty() ? std::nullopt : parse_line_stamp(pop_last_line(block));
  if (first && last) text += " (stamped " + format_iso_ms(*first) + " to " + format_iso_ms(*last) + ")";
  return text;
}

std::string cut_off_at(const ReadBudget& budget) {
  return "The search was cut off at the limit of " + budget.limit_text() + " per call";
}

constexpr const char* kNarrowIt =
    " Narrow the window with since_time or before_time, or use a pattern that RE2 can match faster "
    "(a plain word, fewer repetitions or Unicode classes).";

// The last q.lines matches in [floor, end), within the byte budget; the counts are
// of matches. Cut off by `budget`, the matches and counts are those of the part searched.
ReadResult grep(const LogRange& log, std::uint64_t floor, std::uint64_t end, const ReadQuery& q, ReadBudget& budget) {
  ReadResult r;
  std::vector<std::string> rev;
  std::uint64_t bytes = 0;
  bool full = q.lines == 0;
  std::uint64_t reached = grep_backwards(log, floor, end, *q.pattern, budget, [&](std::string_view line) {
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
  if (reached > floor) {
    r.cut_off = true;
    r.error = cut_off_at(budget) + ": it searched only the newest " + std::to_string(end - reached) + " of the " +
              std::to_string(end - floor) + " bytes in the window, " + describe_lines(log, reached, end) +
              ". output holds the last matches found there and lines_before counts only the other matches there; "
              "lines_after was not counted." +
              kNarrowIt;
    return r;
  }
  if (end < log.size()) {
    std::uint64_t after = grep_backwards(log, end, log.size(), *q.pattern, budget, [&](std::string_view) { ++r.lines_after; });
    if (after > end) {
      r.cut_off = true;
      r.error = cut_off_at(budget) + ": it searched the whole window (output and lines_before are complete), but of the " +
                std::to_string(log.size() - end) + " bytes after it only the newest " + std::to_string(log.size() - after) +
                ", " + describe_lines(log, after, log.size()) + ", so lines_after counts only the matches there." +
                kNarrowIt;
    }
  }
  return r;
}

}  // namespace

ReadResult read_range(LogRange& log, const ReadQuery& q, ReadBudget& budget) {
  if (LogRange::Indexing ix = log.index_files(budget); !ix.complete) {
    ReadResult r;
    r.cut_off = true;
    r.error = "Reading the log was cut off at the limit of " + budget.limit_text() +
              " per call: this server did not write it (or it changed under the server), so it is indexed by "
              "reading it through first, and only " +
              std::to_string(ix.scanned) + " of its " + std::to_string(ix.to_scan) + " bytes were read.";
    return r;
  }
  std::uint64_t end = q.before ? first_at_or_after(log, *q.before) : log.size();
  std::uint64_t floor = q.since ? std::min(first_at_or_after(log, *q.since), end) : 0;
  return q.pattern ? grep(log, floor, end, q, budget) : tail(log, floor, end, q);
}

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
  ReadBudget unlimited;
  return read_range(log, q, unlimited);
}

}  // namespace pp
