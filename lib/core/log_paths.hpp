// Where an instance's three log files live (docs/logs.md#files), the server's own log, and
// the one rotated backup of each.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace pp {

// A process's two output streams, and the log that holds both in the order read.
enum class Stream { out, err, combined };

struct LogPaths {
  std::string stdout_path, stderr_path, combined_path;
  std::string tty_path;  // the raw terminal bytes of a process on a PTY; "" for one on pipes
  // The file that holds `s`.
  const std::string& of(Stream s) const;
};

// The command line with whitespace runs turned into '_', everything but
// [A-Za-z0-9_-] dropped, cut to 50 characters.
std::string escape_command(const std::string& command_line);

// <log_dir>/<pid>.<escaped>.{stdout,stderr,combined}; with a `serial` above 1,
// <log_dir>/<pid>-<serial>.<escaped>...: the name of a later instance that got a
// recycled pid while an earlier one's logs are still there.
LogPaths log_paths_for(const std::string& log_dir, int pid, const std::vector<std::string>& command, int serial = 1);

// `paths` with tty_path set: <log_dir>/<pid>.<escaped>.tty, beside the others.
LogPaths with_tty_path(LogPaths paths);

// <data_dir>/persistproc.run.<stamp>.log
std::string server_log_path(const std::string& data_dir, const std::string& stamp);

// A log file's one rotated backup: "<path>.1".
std::string backup_path(const std::string& path);

// File names (no directory) of the logs above, with or without the ".1" suffix.
bool is_process_log_name(std::string_view name);
bool is_server_log_name(std::string_view name);

}  // namespace pp
