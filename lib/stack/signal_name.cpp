#include "stack/signal_name.hpp"

#include <signal.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <utility>

namespace pp::stack {

std::optional<int> signal_from_text(std::string_view text) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (!text.empty() && ec == std::errc{} && end == text.data() + text.size())
    return n >= 1 && n <= 64 ? std::optional<int>(n) : std::nullopt;
  std::string name(text);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  if (name.starts_with("SIG")) name.erase(0, 3);
  static constexpr std::pair<const char*, int> kNames[] = {
      {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ABRT", SIGABRT}, {"KILL", SIGKILL},
      {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
      {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"WINCH", SIGWINCH}, {"PWR", SIGPWR},
  };
  for (const auto& [k, v] : kNames)
    if (name == k) return v;
  return std::nullopt;
}

}  // namespace pp::stack
