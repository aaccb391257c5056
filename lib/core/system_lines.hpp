// The `[SYSTEM]` lines the server writes into a combined log, and their parser.
// They are also how `run` follows a process: the exit line says whether a
// restart follows, and the restart line names the new instance's log. Because
// they sit in the same file as the output, their order relative to it is exact.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pp {

inline constexpr std::string_view kSystemTag = "[SYSTEM] ";

std::string started_text(int pid, const std::string& command, const std::string& cwd);
// "Process exited with code 3" / "Process terminated by signal 15 (exit code -15)",
// plus "; restarting" when a restart follows.
std::string exit_text(int exit_code, bool restarting);
std::string restarted_text(int new_pid, const std::string& new_combined_log);
std::string restart_failed_text(const std::string& error);
// Written once writing works again after lines of a log were dropped (a full disk).
std::string lost_lines_text(std::uint64_t lines, const std::string& log, const std::string& error);
// Written when a log file was found deleted and a new one was started in its place.
std::string reopened_text(const std::string& log);

struct SystemEvent {
  enum Kind { started, exited, restarted, restart_failed } kind = started;
  int exit_code = 0;      // exited
  bool restarting = false;  // exited
  int new_pid = 0;        // restarted
  std::string path;       // restarted: the new combined log
  std::string error;      // restart_failed
};

// A process's own line that looks like ours ("[SYSTEM] ...", or that with leading
// backslashes) gets one more backslash in the combined log, so output can never
// forge an exit or a restart; unescape_output() gives the line back for display.
bool needs_escape(std::string_view line);
std::string_view unescape_output(std::string_view text);

// `text` is a log line without its stamp; nullopt when it is not a [SYSTEM] line we know.
std::optional<SystemEvent> parse_system_text(std::string_view text);

}  // namespace pp
