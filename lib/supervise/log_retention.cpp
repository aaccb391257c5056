#include "supervise/log_retention.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <set>

#include "core/log_paths.hpp"
#include "core/logger.hpp"

namespace pp {

namespace {

std::set<std::string> logs_in_use(const RetentionPolicy& policy, const Supervisor& sup) {
  std::set<std::string> keep;
  auto add = [&keep](const std::string& path) {
    if (path.empty()) return;  // no .tty file for a process on pipes
    keep.insert(path);
    keep.insert(backup_path(path));
  };
  Target everything;
  for (const auto& p : sup.list(everything)) {
    add(p->logs().stdout_path);
    add(p->logs().stderr_path);
    add(p->logs().combined_path);
    add(p->logs().tty_path);
  }
  if (!policy.current_server_log.empty()) add(policy.current_server_log);
  return keep;
}

void sweep_dir(const std::string& dir, bool (*is_log)(std::string_view), const std::set<std::string>& keep,
               Clock::time_point cutoff, std::vector<std::string>& deleted) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!is_log(name)) continue;
    std::string path = dir + "/" + name;
    if (keep.count(path)) continue;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    auto mtime = Clock::time_point(std::chrono::duration_cast<Clock::duration>(
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
    if (mtime >= cutoff) continue;
    if (::unlink(path.c_str()) == 0) deleted.push_back(path);
  }
}

}  // namespace

std::vector<std::string> sweep_old_logs(const RetentionPolicy& policy, const Supervisor& sup, Clock::time_point now) {
  std::vector<std::string> deleted;
  if (policy.max_age <= std::chrono::seconds::zero()) return deleted;
  std::set<std::string> keep = logs_in_use(policy, sup);
  Clock::time_point cutoff = now - policy.max_age;
  if (!policy.log_dir.empty()) sweep_dir(policy.log_dir, is_process_log_name, keep, cutoff, deleted);
  if (!policy.server_log_dir.empty()) sweep_dir(policy.server_log_dir, is_server_log_name, keep, cutoff, deleted);
  if (!deleted.empty())
    logger::info("deleted " + std::to_string(deleted.size()) + " log file(s) older than the retention (" +
                 std::to_string(policy.max_age.count()) + " s)");
  for (const auto& path : deleted) logger::debug("deleted old log " + path);
  return deleted;
}

boost::asio::awaitable<void> sweep_periodically(boost::asio::steady_timer& timer, RetentionPolicy policy,
                                                const Supervisor& sup, std::chrono::steady_clock::duration interval,
                                                std::function<void(const std::vector<std::string>&)> after_sweep) {
  for (;;) {
    timer.expires_after(interval);
    auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec) co_return;
    auto deleted = sweep_old_logs(policy, sup);
    if (after_sweep) after_sweep(deleted);
  }
}

}  // namespace pp
