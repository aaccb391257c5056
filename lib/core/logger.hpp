// The server's own diagnostic log: console at a chosen level, file at debug.
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"

namespace pp::logger {

enum class Level { debug = 0, info = 1, warning = 2, error = 3, none = 4 };

// Where whole lines go besides the console (the server log file); set once at start.
void set_file_sink(std::function<void(Millis, std::string_view)> sink);
void set_console_level(Level level);

void log(Level level, std::string_view message);
inline void debug(std::string_view m) { log(Level::debug, m); }
inline void info(std::string_view m) { log(Level::info, m); }
inline void warning(std::string_view m) { log(Level::warning, m); }
inline void error(std::string_view m) { log(Level::error, m); }

}  // namespace pp::logger
