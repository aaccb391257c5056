// A process an earlier server started and left behind when it died, as the next
// server lists it (docs/service.md#crash-recovery): the record from the state file,
// status terminated, and a note on what became of it. It is not our child and
// nothing here signals it. Its old logs are read by path, scanned, since no writer's
// index exists for them.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <string>

#include "supervise/process.hpp"
#include "supervise/state_file.hpp"

namespace pp {

class LeftOver final : public Process {
 public:
  // Ended as of now.
  LeftOver(const boost::asio::any_io_executor& ex, SavedProcess saved, std::string note);

  int pid() const override { return saved_.pid; }
  const ProcessSpec& spec() const override { return saved_.spec; }
  Status status() const override { return Status::terminated; }
  Millis start_time() const override { return saved_.start_time; }
  std::uint64_t start_ticks() const override { return saved_.start_ticks; }
  std::optional<Millis> end_time() const override { return end_; }
  std::optional<int> exit_code() const override { return std::nullopt; }
  int restarts() const override { return saved_.restarts; }
  const std::string& note() const override { return note_; }
  bool group_alive() const override { return false; }
  const LogPaths& logs() const override { return saved_.logs; }
  std::string open_log(Stream s, LogRange& range) const override;
  Event& exited() override { return exited_; }
  Pulse& appended() override { return appended_; }

 private:
  SavedProcess saved_;
  std::string note_;
  Millis end_;
  Event exited_;    // set from the start
  Pulse appended_;  // never notified: nothing writes its logs any more
};

}  // namespace pp
