// A process's restart policy (docs/architecture.md#restart-policies): whether an
// exit nobody asked for starts the process again, how many times in a row, and
// after what wait. Values and the decision only; the wait itself is the process
// table's timer (Supervisor).
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pp {

struct RestartPolicy {
  enum class Mode { no, on_failure, always };
  Mode mode = Mode::no;
  int max_restarts = 5;  // restarts in a row (see decide_restart); 0: no limit
  std::chrono::milliseconds backoff{1000};  // the first wait; doubled after each restart in a row

  static constexpr int kMaxMaxRestarts = 1000000;
  static constexpr double kMaxBackoffSeconds = 3600;
};

// "no", "on-failure", "always".
const char* to_string(RestartPolicy::Mode m);
// Those three, and "on_failure" (process-compose's spelling); nullopt for anything else.
std::optional<RestartPolicy::Mode> parse_restart_mode(std::string_view text);
inline constexpr const char* kRestartModes = "no, on-failure, always";

// The fixed part of the schedule; tests shorten it.
struct RestartSchedule {
  std::chrono::milliseconds cap{60000};     // no wait is longer (unless the backoff itself is)
  std::chrono::milliseconds stable{60000};  // a run this long ends a streak of restarts
};

struct RestartDecision {
  enum Kind { none, restart, exhausted } kind = none;
  std::chrono::milliseconds wait{0};  // restart: how long before starting again
  int streak = 0;                     // restart: the new instance's restarts in a row
};

// What follows an exit nobody asked for (not a stop, not a restart on request).
// `streak` is how many restarts by the policy in a row led to the instance that
// ended, after `uptime`, with `exit_code` (negative: killed by a signal). `no`,
// and `on-failure` after exit code 0: none. A run of at least `stable` ends the
// streak (counts from 0 again). With max_restarts reached: exhausted. Else
// restart after backoff * 2^streak, at most max(cap, backoff).
RestartDecision decide_restart(const RestartPolicy& p, int exit_code, int streak, std::chrono::milliseconds uptime,
                               const RestartSchedule& s);

}  // namespace pp
