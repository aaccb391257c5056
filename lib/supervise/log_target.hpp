// The file a log writes to: created fresh and private (0600), written whole,
// and rotated to one `.1` backup. LogFile (stamped lines and their index) and
// RawLog (a terminal's raw bytes) keep what they write in it.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace pp {

class LogTarget {
 public:
  LogTarget() = default;
  LogTarget(const LogTarget&) = delete;
  LogTarget& operator=(const LogTarget&) = delete;
  ~LogTarget() { close(); }

  // Creates (truncates) the file, 0600 even when it existed with another mode,
  // and removes a backup left by an earlier log of the same name. "" or an error.
  std::string open(const std::string& path);
  void close();
  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  // Writes all of `data` unless an error (a full disk) comes first; the bytes written.
  std::size_t write(std::string_view data);

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
};

}  // namespace pp
