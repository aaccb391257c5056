// The process table: start, stop, restart, look up and list managed processes
// (SPEC §3). Single-threaded: every call runs on the server's one io_context.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "supervise/instance.hpp"

namespace pp {

// How a request names a process: a pid, or a label/command (optionally in a directory).
struct Target {
  std::optional<int> pid;
  std::optional<std::string> command_or_label;
  std::optional<std::string> working_directory;
};

struct CtrlOutcome {
  std::shared_ptr<Instance> instance;  // the started one (start/restart) or the stopped one (stop)
  std::optional<int> exit_code;        // how the stopped one ended (stop/restart)
  std::string error;                   // "" on success
};

class Supervisor {
 public:
  static constexpr std::size_t kKeepEnded = 10;

  Supervisor(boost::asio::any_io_executor ex, std::string log_dir, StopTimings timings = {});
  ~Supervisor();

  // Starts `spec`; an empty label gets the default "<command> in <cwd>".
  CtrlOutcome start(ProcessSpec spec);
  boost::asio::awaitable<CtrlOutcome> stop(const Target& t, bool force);
  boost::asio::awaitable<CtrlOutcome> restart(const Target& t);

  struct Found {
    std::shared_ptr<Instance> instance;
    std::string error;
  };
  // SPEC §3 lookup: pid wins, then an exact label among running processes, then
  // the command (argv equality) among running ones, narrowed by working directory.
  Found find(const Target& t) const;

  // Every entry that matches all the given filters, oldest first.
  std::vector<std::shared_ptr<Instance>> list(const Target& filter) const;

  // Stops every running group in parallel; `force` skips the grace period. Returns
  // when all have exited. Calling it again while it runs escalates to SIGKILL.
  boost::asio::awaitable<void> shutdown(bool force);

  const std::string& log_dir() const { return log_dir_; }
  // Each log file of every instance started from now on rotates past this size.
  void set_max_log_size(std::uint64_t bytes) { max_log_size_ = bytes; }

 private:
  void trim_ended();

  boost::asio::any_io_executor ex_;
  std::string log_dir_;
  StopTimings timings_;
  std::vector<std::shared_ptr<Instance>> table_;  // in start order
  bool shutting_down_ = false;                    // no new starts once shutdown() began
  std::uint64_t max_log_size_ = LogFile::kNoLimit;
};

std::string default_label(const std::vector<std::string>& command, const std::string& cwd);

}  // namespace pp
