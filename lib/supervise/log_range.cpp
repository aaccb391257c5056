#include "supervise/log_range.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/log_paths.hpp"
#include "core/posix_io.hpp"
#include "core/same_file.hpp"

namespace pp {

namespace {

constexpr std::size_t kScanBlock = 64 * 1024;

// Builds the index LogFile would have kept while writing the file (docs/logs.md#index),
// by one forward scan with one buffer. False when `budget` ran out first; `done`
// counts the bytes read either way.
bool scan_index(int fd, std::uint64_t size, LogIndex& idx, ReadBudget& budget, std::uint64_t& done) {
  idx = {};
  std::vector<char> buf(kScanBlock);
  std::uint64_t off = 0, next_cp = 0;
  bool at_line_start = true;
  while (off < size) {
    std::size_t got = pread_full(fd, buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(kScanBlock, size - off)), off);
    if (got == 0) break;
    for (std::size_t i = 0; i < got; ++i) {
      if (at_line_start) {
        std::uint64_t line_start = off + i;
        if (line_start >= next_cp) {
          // Read apart: the stamp may run past the end of the block.
          char head[kStampLen];
          std::size_t n = pread_full(fd, head, kStampLen, line_start);
          idx.checkpoints.push_back({line_start, idx.lines, parse_line_stamp({head, n}).value_or(0)});
          next_cp = line_start + LogFile::kCheckpointBytes;
        }
        at_line_start = false;
      }
      if (buf[i] == '\n') {
        ++idx.lines;
        at_line_start = true;
      }
    }
    off += got;
    done += got;
    if (off < size && budget.spent()) return false;
  }
  idx.size = off;
  return true;
}

// errno says why.
std::string cannot_read(const std::string& path) { return "cannot read log file " + path + ": " + std::strerror(errno); }

}  // namespace

std::string LogRange::open(const std::string& path, const LogIndex* index, const LogIndex* backup_index) {
  parts_.clear();
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0) return cannot_read(path);
  // Opened second. A writer in this process cannot rotate in between; should one in
  // another process do so, the backup is the file already open, and is left out.
  const std::string backup = backup_path(path);
  UniqueFd backup_fd(::open(backup.c_str(), O_RDONLY | O_CLOEXEC));
  if (backup_fd) {
    struct stat backup_st {};
    if (::fstat(backup_fd.get(), &backup_st) != 0) return cannot_read(backup);
    if (!same_file(backup_st, st))
      add(std::move(backup_fd), static_cast<std::uint64_t>(backup_st.st_size), backup_index);
  }
  add(std::move(fd), static_cast<std::uint64_t>(st.st_size), index);
  return "";
}

void LogRange::add(UniqueFd fd, std::uint64_t file_size, const LogIndex* writer_index) {
  Part p;
  p.file_size = file_size;
  // The writer's index describes the file only while the sizes agree: a log left by
  // an earlier server, or one replaced under us, is scanned. A copy, since the
  // writer goes on appending to its own while a worker reads this one.
  if (writer_index && writer_index->size == file_size) {
    p.index = *writer_index;
    p.indexed = true;
  }
  p.fd = std::move(fd);
  parts_.push_back(std::move(p));
}

LogRange::Indexing LogRange::index_files(ReadBudget& budget) {
  Indexing r;
  for (const Part& p : parts_)
    if (!p.indexed) r.to_scan += p.file_size;
  for (Part& p : parts_) {
    if (!p.indexed && !(p.indexed = scan_index(p.fd.get(), p.file_size, p.index, budget, r.scanned))) {
      r.complete = false;
      return r;
    }
  }
  std::uint64_t offset = 0, line = 0;
  for (Part& p : parts_) {
    p.offset = offset;
    p.line = line;
    offset += p.index.size;
    line += p.index.lines;
  }
  return r;
}

std::size_t LogRange::read(std::uint64_t off, char* dst, std::size_t len) const {
  std::size_t done = 0;
  for (const Part& p : parts_) {
    if (done == len) break;
    if (off >= p.end()) continue;
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(len - done, p.end() - off));
    std::size_t got = pread_full(p.fd.get(), dst + done, n, off - p.offset);
    done += got;
    off += got;
    if (got < n) break;
  }
  return done;
}

}  // namespace pp
