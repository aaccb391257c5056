// <data-dir>/state.json: what the server runs, rewritten on every start and exit,
// so that the next server can clean up after one that died without shutting down.
// Enough is kept to tell a left-over process from a recycled pid (boot id and start
// ticks) and to start it again as it was (command, cwd, environment, label).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/log_paths.hpp"
#include "core/timestamp.hpp"
#include "supervise/process.hpp"

namespace pp {

struct SavedProcess {
  int pid = 0;
  int pgid = 0;                   // its process group (its own session: the pid)
  std::uint64_t start_ticks = 0;  // field 22 of /proc/<pid>/stat when it was started
  Millis start_time = 0;
  ProcessSpec spec;  // command, cwd, environment overlay, label, restart policy, stack
                     // membership, readiness, stop signal and grace
  LogPaths logs;
  int restarts = 0;
};

struct SavedState {
  int server_pid = 0;
  std::uint64_t server_start_ticks = 0;
  std::string boot_id;  // pids and start ticks only mean something within one boot
  std::vector<SavedProcess> processes;
};


// This server (pid, start ticks, boot id) and every running instance of `table`.
SavedState snapshot(const std::vector<std::shared_ptr<Process>>& table);
// Whether the file records `p`: running, or waiting for its policy's restart.
bool recorded(const Process& p);
// `p`'s record, and that record as the file's JSON text.
SavedProcess saved_process(const Process& p);
std::string saved_process_text(const SavedProcess& p);
// The file's text for this server and the records' texts (saved_process_text):
// what write_state writes, for a writer that keeps each record's text while
// it does not change (state_keeper.hpp) instead of serializing the table anew.
std::string state_text(const std::vector<const std::string*>& records);

// Replaces `path` atomically (a temporary file in the same directory, then rename)
// with mode 0600, since environments may hold secrets. Returns an error or "".
std::string write_state(const std::string& path, const SavedState& state);
// The same with the file's whole text.
std::string write_state_text(const std::string& path, const std::string& text);

struct LoadedState {
  std::optional<SavedState> state;   // nullopt: no such file, or `error`
  std::string error;                 // why the file could not be used
  std::vector<std::string> skipped;  // why single entries were left out
};
LoadedState read_state(const std::string& path);

}  // namespace pp
