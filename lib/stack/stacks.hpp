// Bringing a stack up in dependency order and down in reverse (docs/stacks.md#up):
// what `up`, `down` and the ctrl tool's up/down actions do on the server. Each
// member starts once its dependencies' conditions hold, independent ones at
// once; the waits are re-decided on every lifecycle event of the process table,
// never on a timer, except the bring-up's own time limit.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "stack/condition_check.hpp"
#include "stack/member_spec.hpp"
#include "stack/stack_spec.hpp"
#include "supervise/supervisor.hpp"

namespace pp::stack {

struct UpOptions {
  std::chrono::milliseconds timeout{120000};  // for the whole bring-up
  bool fresh = false;                         // stop a running stack of that name first
};

struct MemberResult {
  std::string name;
  std::shared_ptr<Process> process;  // its newest entry; null when it was not started
  enum How { not_started, started, attached } how = not_started;
  bool up = false;  // ready (or completed successfully) when the bring-up ended
};

struct UpResult {
  std::string stack;
  std::vector<MemberResult> members;  // in dependency order
  std::string failed;                 // the member whose failure stopped the bring-up; "" if none
  std::string error;                  // "" when every member is up
};

struct DownResult {
  std::string stack;
  std::vector<std::shared_ptr<Process>> stopped;  // in the order their stops ended
  std::string error;                              // "" unless no such stack was found
};

class Stacks {
 public:
  // `ex` is the one the supervisor runs on.
  Stacks(const boost::asio::any_io_executor& ex, Supervisor& sup);
  Stacks(const Stacks&) = delete;
  Stacks& operator=(const Stacks&) = delete;

  // Starts what of `spec` is not supervised yet (a running member is attached
  // to, not started twice) and returns once every member is up, or at the first
  // failure: a dependency that ends before its condition holds, a member that
  // ends before it is ready, or the time limit. What started stays running.
  boost::asio::awaitable<UpResult> up(StackPlan plan, UpOptions options);
  // Stops every supervised member of `stack`, each once the members that depend
  // on it have stopped; returns when all have.
  boost::asio::awaitable<DownResult> down(std::string stack);

 private:
  struct Run;
  boost::asio::awaitable<void> bring(std::shared_ptr<Run> run, std::size_t i);
  boost::asio::awaitable<bool> await_verdict(std::shared_ptr<Run> run, const std::string& name,
                                             std::function<Verdict(const Process*)> check,
                                             const std::string& waiting_for);
  // One up or down of a stack at a time: a second one waits for the first.
  boost::asio::awaitable<std::shared_ptr<Event>> exclusive(const std::string& stack);
  void release(const std::string& stack, const std::shared_ptr<Event>& turn);

  Supervisor& sup_;
  std::shared_ptr<Pulse> changed_;  // any lifecycle event in the table, or a bring-up's failure
  std::map<std::string, std::shared_ptr<Event>> busy_;
};

}  // namespace pp::stack
