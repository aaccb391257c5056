// Reads the last N lines of a log file, optionally within a time window, in time
// and memory that do not depend on the file's size (docs/logs.md#reading), or the
// lines that match a pattern, in one pass over the window. A log that has rotated
// is read as one: its `.1` backup, then the current file.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pattern.hpp"
#include "supervise/log_file.hpp"
#include "supervise/log_range.hpp"
#include "supervise/read_budget.hpp"

namespace pp {

struct ReadQuery {
  std::uint64_t lines = 100;
  std::optional<Millis> since;   // inclusive
  std::optional<Millis> before;  // exclusive
  // At most this many bytes of lines per answer (always at least one line); the
  // lines left out are counted in lines_before, so a caller can page.
  std::uint64_t max_bytes = 4 * 1024 * 1024;
  // Only lines whose text (after the stamp) matches; lines_before and lines_after
  // then count matching lines. Every line in the window is tested, block by block
  // from the end, so memory stays bounded whatever the file's size.
  const Pattern* pattern = nullptr;
};

struct ReadResult {
  std::vector<std::string> lines;  // each with its stamp and trailing '\n'
  std::uint64_t lines_before = 0;  // lines of the file before the first returned one
  std::uint64_t lines_after = 0;   // lines of the file after the last returned one
  // Why the log could not be read: a file that cannot be opened or examined
  // (fstat); then nothing else is set. A missing `.1` backup is no error.
  // Or, with cut_off, how far a read got before its budget ran out; then the
  // lines and counts are those of the part that was read.
  std::string error;
  bool cut_off = false;
};

// Reads a log opened by LogRange::open within `budget`: the part of a read whose
// cost grows with the log (indexing a file without the writer's index, searching),
// meant for a worker thread (docs/architecture.md#worker-threads).
ReadResult read_range(LogRange& log, const ReadQuery& q, ReadBudget& budget);

// On the caller's thread, without a limit: `index` (and `backup_index`, for
// `<path>.1`) are the writer's indexes when the file is one we are writing (or
// wrote); without one, that file is scanned once to build it. Line counts and time
// windows run over the backup and the current file together.
ReadResult read_log(const std::string& path, const LogIndex* index, const ReadQuery& q,
                    const LogIndex* backup_index = nullptr);
// The same for a log we write: its path and both of its indexes.
ReadResult read_log(const LogFile& log, const ReadQuery& q);

}  // namespace pp
