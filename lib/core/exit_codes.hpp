// Every exit code the binary uses, in one place (docs/cli.md#exit-codes).
#pragma once

namespace pp {

inline constexpr int kExitOk = 0;
// The operation failed; the message is on stderr (or in the JSON `error`).
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
// No server on the port (client commands); `run`: the server went away.
inline constexpr int kExitNoServer = 3;
// `serve`: the port is in use.
inline constexpr int kExitPortInUse = 4;
// `serve`: the data directory cannot be used.
inline constexpr int kExitDataDir = 5;
// `run` stopped by Ctrl+C before the process started (the shell's 128+SIGINT).
inline constexpr int kExitInterrupted = 130;

// A shell's convention for a process's end: its code, or 128+N for death by
// signal N (persistproc reports that as exit code -N).
inline int shell_exit_code(int exit_code) { return exit_code < 0 ? 128 - exit_code : exit_code; }

}  // namespace pp
