// The process table's restart policies (docs/architecture.md#restart-policies):
// the decision as an exit is recorded, the wait on a timer, the restart, and the
// end of a wait by a stop, a restart on request or shutdown.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/background.hpp"
#include "core/logger.hpp"
#include "core/system_lines.hpp"
#include "supervise/supervisor.hpp"

namespace pp {

namespace asio = boost::asio;

struct Supervisor::PolicyWait {
  PolicyWait(const asio::any_io_executor& ex, std::shared_ptr<Instance> i, int s)
      : timer(ex), instance(std::move(i)), streak(s) {}
  asio::steady_timer timer;
  std::shared_ptr<Instance> instance;  // the one that ended
  int streak;                          // the new instance's (RestartDecision::streak)
};

bool Supervisor::policy_restart_follows(Instance& inst) {
  const RestartPolicy& policy = inst.spec().restart;
  if (policy.mode == RestartPolicy::Mode::no || shutting_down_) return false;
  auto uptime = std::chrono::milliseconds(inst.end_time().value_or(inst.start_time()) - inst.start_time());
  RestartDecision d = decide_restart(policy, inst.exit_code().value_or(-1), inst.policy_streak(), uptime, schedule_);
  std::string who = "PID " + std::to_string(inst.pid()) + " (" + inst.spec().label + ")";
  if (d.kind == RestartDecision::exhausted) {
    std::string note = std::string("not restarted: its restart policy (") + to_string(policy.mode) +
                       ") reached max_restarts, " + std::to_string(policy.max_restarts) +
                       " restarts in a row, none of them up for " +
                       std::to_string(schedule_.stable.count() / 1000) + " s";
    logger::warning(who + " " + note);
    inst.add_note(note);
  }
  if (d.kind != RestartDecision::restart) return false;
  auto wait = std::make_shared<PolicyWait>(ex_, inst.shared_from_this(), d.streak);
  wait->timer.expires_after(d.wait);
  waits_[&inst] = wait;
  inst.set_restart_due(now_ms() + d.wait.count());
  logger::info(who + " ended; its restart policy (" + to_string(policy.mode) + ") restarts it in " +
               std::to_string(d.wait.count()) + " ms");
  return true;
}

asio::awaitable<void> Supervisor::run_policy_wait(std::shared_ptr<Instance> old, std::shared_ptr<PolicyWait> wait) {
  co_await wait->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  auto current = [&] {
    auto it = waits_.find(old.get());
    return it != waits_.end() && it->second == wait;
  };
  if (!current()) co_return;  // ended meanwhile, by a stop, a restart on request or shutdown
  // What the old leader left running goes first, as in a restart on request.
  if (old->group_alive()) co_await old->stop(false, timings_);
  if (!current()) co_return;
  end_policy_wait(old.get());
  relaunch(old, old.get(), {}, "policy", wait->streak);
}

std::shared_ptr<Instance> Supervisor::end_policy_wait(const Process* p) {
  auto it = waits_.find(p);
  if (it == waits_.end()) return nullptr;
  auto wait = it->second;
  waits_.erase(it);
  wait->timer.cancel();
  wait->instance->set_restart_due(std::nullopt);
  return wait->instance;
}

void Supervisor::start_policy_wait(Instance& inst) {
  auto it = waits_.find(&inst);
  if (it == waits_.end()) return;
  auto wait = it->second;
  std::string what = "waiting to restart PID " + std::to_string(inst.pid()) + " (" + inst.spec().label + ")";
  // Should the wait end by an exception, the entry still ends and clients hear of it.
  OnEnd on_end{nullptr, [this, wait] {
                 if (end_policy_wait(wait->instance.get()) != wait->instance) return;
                 std::string error = "server error while waiting to restart (see the server log)";
                 wait->instance->cancel_restart(restart_failed_text(error), false);
                 lifecycle_({Lifecycle::restart_failed, *wait->instance, 0, error, false, "policy"});
                 changed_(true);
               }};
  run_in_background(ex_, run_policy_wait(wait->instance, wait), what, wait->instance, std::move(on_end));
}

}  // namespace pp
