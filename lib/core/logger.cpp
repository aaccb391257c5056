#include "core/logger.hpp"

#include <cstdio>

namespace pp::logger {

namespace {
std::function<void(Millis, std::string_view)>& file_sink() {
  static std::function<void(Millis, std::string_view)> sink;
  return sink;
}
Level& console_level() {
  static Level level = Level::warning;
  return level;
}
const char* name(Level l) {
  switch (l) {
    case Level::debug: return "DEBUG";
    case Level::info: return "INFO";
    case Level::warning: return "WARNING";
    case Level::error: return "ERROR";
    case Level::none: return "";
  }
  return "?";
}
}  // namespace

void set_file_sink(std::function<void(Millis, std::string_view)> sink) { file_sink() = std::move(sink); }
void set_console_level(Level level) { console_level() = level; }

std::string failure(std::string_view purpose, std::exception_ptr e) {
  if (!e) return "";
  std::string text(purpose);
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    text += std::string(": ") + ex.what();
  } catch (...) {
    text += ": an unknown exception";
  }
  error(text);
  return text;
}

void log(Level level, std::string_view message) {
  std::string line = std::string(name(level)) + " " + std::string(message);
  if (file_sink()) file_sink()(now_ms(), line);
  if (level >= console_level() && console_level() != Level::none) {
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  }
}

}  // namespace pp::logger
