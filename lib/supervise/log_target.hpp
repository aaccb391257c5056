// The file a log writes to: created new and private (0600), never truncated,
// written whole, and rotated to one `.1` backup. LogFile (stamped lines and their
// index) and RawLog (a terminal's raw bytes) keep what they write in it. Its
// directory, when removed, is created again (0700) for the next file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pp {

class LogTarget {
 public:
  LogTarget() = default;
  LogTarget(const LogTarget&) = delete;
  LogTarget& operator=(const LogTarget&) = delete;
  ~LogTarget() { close(); }

  // Creates the file, which must not exist (an existing file is another log:
  // never truncated). "" or an error.
  std::string open(const std::string& path);
  void close();
  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  // Writes all of `data` unless an error (a full disk) comes first; the bytes
  // written. After a short write, error() says why.
  std::size_t write(std::string_view data);
  const std::string& error() const { return error_; }
  // Cuts the file back to `size` bytes (the part of a line a short write left).
  bool truncate(std::uint64_t size);
  // The file was deleted under us: no name links to it any more.
  bool unlinked() const;
  // Opens a new file at the path (its directory created again if it went) in
  // place of a deleted one. False, with error(), when that fails: the old one stays.
  bool reopen();

  enum class Rotation {
    fresh_with_backup,     // the file is now `.1` and a fresh one is in use
    fresh_without_backup,  // the file had been removed: a fresh one is in use, no backup
    kept,                  // could not rotate: the same file stays in use
    kept_backup_lost,      // could not rotate, and the earlier `.1` was replaced
  };
  // Moves the file to its backup and opens a fresh one in its place. On failure
  // the current file stays in use: nothing is lost, the cap is only exceeded.
  Rotation rotate();

 private:
  int fd_ = -1;
  std::string path_;
  std::string error_;
};

}  // namespace pp
