// The server's own diagnostic log: console at a chosen level, file at debug.
#pragma once
#include <exception>
#include <functional>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"

namespace pp::logger {

enum class Level { debug = 0, info = 1, warning = 2, error = 3, none = 4 };

// Where whole lines go besides the console (the server log file); set once at start.
void set_file_sink(std::function<void(Millis, std::string_view)> sink);

// Installs a file sink for its own lifetime and removes it when it goes, on every
// way out of the scope. The sink (and what it captures) must outlive the guard.
class FileSinkGuard {
 public:
  explicit FileSinkGuard(std::function<void(Millis, std::string_view)> sink) { set_file_sink(std::move(sink)); }
  ~FileSinkGuard() { set_file_sink(nullptr); }
  FileSinkGuard(const FileSinkGuard&) = delete;
  FileSinkGuard& operator=(const FileSinkGuard&) = delete;
};
void set_console_level(Level level);

void log(Level level, std::string_view message);
inline void debug(std::string_view m) { log(Level::debug, m); }
inline void info(std::string_view m) { log(Level::info, m); }
inline void warning(std::string_view m) { log(Level::warning, m); }
inline void error(std::string_view m) { log(Level::error, m); }

// Logs an exception that ended a coroutine or task: "<purpose>: <what()>" at
// error level, and returns that text. Does nothing for a null pointer (returns "").
std::string failure(std::string_view purpose, std::exception_ptr e);

}  // namespace pp::logger
