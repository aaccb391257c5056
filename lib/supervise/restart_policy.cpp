#include "supervise/restart_policy.hpp"

#include <algorithm>

namespace pp {

const char* to_string(RestartPolicy::Mode m) {
  switch (m) {
    case RestartPolicy::Mode::no: return "no";
    case RestartPolicy::Mode::on_failure: return "on-failure";
    case RestartPolicy::Mode::always: return "always";
  }
  return "no";
}

std::optional<RestartPolicy::Mode> parse_restart_mode(std::string_view text) {
  if (text == "no") return RestartPolicy::Mode::no;
  if (text == "on-failure" || text == "on_failure") return RestartPolicy::Mode::on_failure;
  if (text == "always") return RestartPolicy::Mode::always;
  return std::nullopt;
}

RestartDecision decide_restart(const RestartPolicy& p, int exit_code, int streak, std::chrono::milliseconds uptime,
                               const RestartSchedule& s) {
  using Mode = RestartPolicy::Mode;
  if (p.mode == Mode::no || (p.mode == Mode::on_failure && exit_code == 0)) return {};
  if (uptime >= s.stable) streak = 0;
  if (p.max_restarts > 0 && streak >= p.max_restarts) return {RestartDecision::exhausted, {}, streak};
  auto cap = std::max(s.cap, p.backoff);
  auto wait = p.backoff;
  // Doubling stops at the cap, so it cannot overflow however long the streak.
  for (int i = 0; i < streak && wait < cap && wait.count() > 0; ++i) wait *= 2;
  // Without a limit a streak only sets the wait, which stopped growing long before.
  return {RestartDecision::restart, std::min(wait, cap), std::min(streak, RestartPolicy::kMaxMaxRestarts) + 1};
}

}  // namespace pp
