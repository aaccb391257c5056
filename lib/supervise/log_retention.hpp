// Bounded disk use over time: the log files of processes that have left the table,
// and the server's logs of earlier runs, are deleted once they are older than the
// retention, at start-up and then once a day (on a timer, no polling).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "supervise/supervisor.hpp"

namespace pp {

struct RetentionPolicy {
  std::chrono::seconds max_age{7 * 24 * 3600};  // by modification time; zero keeps every log
  std::string log_dir;                          // process logs (and their .1 backups)
  std::string server_log_dir;                   // persistproc.run.*.log of earlier runs ("": none)
  std::string current_server_log;               // never deleted, nor its backup
};

// Deletes now every log file older than the policy's max_age that no instance in the
// table uses, and returns their paths. Files that are not logs are left alone.
std::vector<std::string> sweep_old_logs(const RetentionPolicy& policy, const Supervisor& sup,
                                        Clock::time_point now = Clock::now());

inline constexpr std::chrono::hours kRetentionInterval{24};

// Sweeps every `interval` (kRetentionInterval in the server) until the timer is
// cancelled or its executor stops; `after_sweep`, when set, hears what each sweep
// deleted. (No default arguments: gcc 12 mishandles temporaries passed to coroutines.)
boost::asio::awaitable<void> sweep_periodically(boost::asio::steady_timer& timer, RetentionPolicy policy,
                                                const Supervisor& sup, std::chrono::steady_clock::duration interval,
                                                std::function<void(const std::vector<std::string>&)> after_sweep);

}  // namespace pp
