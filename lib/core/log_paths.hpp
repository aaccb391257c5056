// Where an instance's three log files live (SPEC §7).
#pragma once
#include <string>
#include <vector>

namespace pp {

struct LogPaths {
  std::string stdout_path, stderr_path, combined_path;
};

// The command line with whitespace runs turned into '_', everything but
// [A-Za-z0-9_-] dropped, cut to 50 characters.
std::string escape_command(const std::string& command_line);

// <log_dir>/<pid>.<escaped>.{stdout,stderr,combined}
LogPaths log_paths_for(const std::string& log_dir, int pid, const std::vector<std::string>& command);

}  // namespace pp
