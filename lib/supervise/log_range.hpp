// A log as one range of bytes: its `.1` backup, then the current file
// (docs/logs.md#reading). Offsets and line numbers in the current file come after
// the backup's; rotation falls between lines, so no line spans the two. Each file
// has an index: a copy of the writer's while it still describes the file, else one
// built by scanning the file once, forward. read() is the one way the reader reads bytes.
//
// Opening is cheap and happens on the thread that writes the log: the descriptors
// and the copies of the writer's indexes taken together are a snapshot that a
// worker thread can then read (docs/architecture.md#worker-threads). The files only
// grow past it, or are renamed or removed, none of which changes the bytes it covers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/unique_fd.hpp"
#include "supervise/log_file.hpp"
#include "supervise/read_budget.hpp"

namespace pp {

class LogRange {
 public:
  // One file of the range.
  struct Part {
    UniqueFd fd;
    std::uint64_t file_size = 0;  // at open()
    LogIndex index;               // the writer's, copied; or scanned by index_files()
    bool indexed = false;         // false until `index` describes the file
    std::uint64_t offset = 0;     // of its first byte in the range
    std::uint64_t line = 0;       // number of its first line in the range
    std::uint64_t end() const { return offset + index.size; }
  };

  // Opens `path` and its backup, when there is one, copying `index` and
  // `backup_index`, the writer's (null for a file this server did not write).
  // Reads no file. Returns "" or why the log cannot be read; a missing backup is no error.
  std::string open(const std::string& path, const LogIndex* index, const LogIndex* backup_index);

  // How far index_files() got.
  struct Indexing {
    bool complete = true;
    std::uint64_t scanned = 0;  // bytes of the files without the writer's index read
    std::uint64_t to_scan = 0;  // bytes those files hold
  };
  // Scans each file that has no copy of the writer's index (the work that grows
  // with the file's size), then lays the parts out. Until it has completed, the
  // range cannot be read; cut short by `budget`, it stays so.
  Indexing index_files(ReadBudget& budget);

  std::uint64_t size() const { return parts_.empty() ? 0 : parts_.back().end(); }
  std::uint64_t lines() const { return parts_.empty() ? 0 : parts_.back().line + parts_.back().index.lines; }
  // Oldest first; never empty after a successful open().
  const std::vector<Part>& parts() const { return parts_; }

  // Reads [off, off + len) into `dst`; returns the bytes read, fewer only when a
  // file is shorter than its index says (it changed under us) or a read failed.
  std::size_t read(std::uint64_t off, char* dst, std::size_t len) const;

 private:
  void add(UniqueFd fd, std::uint64_t file_size, const LogIndex* writer_index);

  std::vector<Part> parts_;
};

}  // namespace pp
