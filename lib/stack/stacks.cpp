#include "stack/stacks.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <set>

#include "core/background.hpp"

namespace pp::stack {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// One bring-up: its members' results and its first failure.
struct Stacks::Run {
  StackPlan plan;
  std::chrono::milliseconds timeout;
  Clock::time_point deadline;
  std::vector<MemberResult> members;
  std::string failed, error;
  std::size_t pending = 0;
  Event done;

  Run(StackPlan p, std::chrono::milliseconds t, const asio::any_io_executor& ex)
      : plan(std::move(p)), timeout(t), deadline(Clock::now() + t), done(ex) {}
};

namespace {

std::shared_ptr<Process> newest(const Supervisor& sup, const std::string& stack, const std::string& name) {
  auto members = current_members(sup, stack);
  auto it = members.find(name);
  return it == members.end() ? nullptr : it->second;
}

std::string seconds_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace

Stacks::Stacks(const asio::any_io_executor& ex, Supervisor& sup) : sup_(sup), changed_(std::make_shared<Pulse>(ex)) {
  std::weak_ptr<Pulse> changed = changed_;
  sup_.on_lifecycle([changed](const Lifecycle&) {
    if (auto p = changed.lock()) p->notify();
  });
}

asio::awaitable<std::shared_ptr<Event>> Stacks::exclusive(const std::string& stack) {
  for (;;) {
    auto it = busy_.find(stack);
    if (it == busy_.end()) break;
    auto other = it->second;
    co_await other->wait();
  }
  auto turn = std::make_shared<Event>(co_await asio::this_coro::executor);
  busy_[stack] = turn;
  co_return turn;
}

void Stacks::release(const std::string& stack, const std::shared_ptr<Event>& turn) {
  auto it = busy_.find(stack);
  if (it != busy_.end() && it->second == turn) busy_.erase(it);
  turn->set();
}

asio::awaitable<bool> Stacks::await_verdict(std::shared_ptr<Run> run, const std::string& name,
                                            std::function<Verdict(const Process*)> check,
                                            const std::string& waiting_for) {
  for (;;) {
    if (!run->error.empty()) co_return false;  // the bring-up stopped for another member
    auto p = newest(sup_, run->plan.name, name);
    Verdict v = check(p.get());
    if (v.kind == Verdict::holds) co_return true;
    std::string why = v.why;
    if (v.kind == Verdict::pending && Clock::now() >= run->deadline)
      why = std::string(p && p->running() ? "still running, but " : "") + "not " + waiting_for + " within " +
            seconds_text(run->timeout);
    if (!why.empty()) {
      run->failed = name;
      run->error = name + " " + why;
      changed_->notify();  // the other members stop waiting
      co_return false;
    }
    co_await changed_->wait_until(run->deadline);
  }
}

asio::awaitable<void> Stacks::bring(std::shared_ptr<Run> run, std::size_t i) {
  const ProcessSpec& spec = run->plan.members[i];
  const std::string& name = spec.member.name;
  for (const auto& d : spec.member.depends_on) {
    Condition c = parse_condition(d.condition).value_or(Condition::started);
    bool ok = co_await await_verdict(
        run, d.name, [c](const Process* q) { return check_condition(q, c); },
        std::string(c == Condition::started ? "started" : c == Condition::ready ? "ready" : "completed") + " for " +
            name);
    if (!ok) co_return;
  }
  MemberResult& m = run->members[i];
  if (auto existing = newest(sup_, run->plan.name, name); existing && supervised(*existing)) {
    m.how = MemberResult::attached;
  } else {
    CtrlOutcome out = sup_.start(spec);
    if (!out.error.empty()) {
      run->failed = name;
      run->error = name + " could not be started: " + out.error;
      changed_->notify();
      co_return;
    }
    m.how = MemberResult::started;
  }
  m.up = co_await await_verdict(run, name, check_up, spec.ready.configured() ? "ready" : "running");
}

asio::awaitable<UpResult> Stacks::up(StackPlan plan, UpOptions options) {
  std::string name = plan.name;
  if (options.fresh) co_await down(name);
  auto turn = co_await exclusive(name);
  auto ex = co_await asio::this_coro::executor;
  auto run = std::make_shared<Run>(std::move(plan), options.timeout, ex);
  for (const auto& m : run->plan.members) run->members.push_back(MemberResult{m.member.name, nullptr});
  run->pending = run->members.size();
  if (run->pending == 0) run->done.set();
  for (std::size_t i = 0; i < run->members.size(); ++i) {
    OnEnd on_end{[run, this, i](const std::string& failure) {
                   if (run->error.empty()) {
                     run->failed = run->members[i].name;
                     run->error = run->failed + ": server error (" + failure + ")";
                     changed_->notify();
                   }
                 },
                 [run] {
                   if (--run->pending == 0) run->done.set();
                 }};
    run_in_background(ex, bring(run, i), "bringing up " + run->members[i].name + " of stack " + name, run,
                      std::move(on_end));
  }
  co_await run->done.wait();
  release(name, turn);

  UpResult r{name, std::move(run->members), run->failed, run->error};
  for (auto& m : r.members) m.process = newest(sup_, name, m.name);
  if (!r.error.empty()) {
    std::vector<std::string> left;
    for (const auto& m : r.members)
      if (m.how == MemberResult::not_started) left.push_back(m.name);
    if (!left.empty()) {
      r.error += "; not started: ";
      for (std::size_t i = 0; i < left.size(); ++i) r.error += (i ? ", " : "") + left[i];
    }
  }
  co_return r;
}

asio::awaitable<DownResult> Stacks::down(std::string stack) {
  auto turn = co_await exclusive(stack);
  auto r = std::make_shared<DownResult>(DownResult{stack, {}, ""});
  auto members = current_members(sup_, stack);
  if (members.empty()) r->error = "No stack named '" + stack + "' is known to the server.";
  // Who depends on whom, among those still supervised.
  std::map<std::string, std::shared_ptr<Process>> live;
  for (auto& [n, p] : members)
    if (supervised(*p)) live[n] = p;
  auto ex = co_await asio::this_coro::executor;
  std::map<std::string, std::shared_ptr<Event>> stopped;
  for (auto& [n, p] : live) stopped[n] = std::make_shared<Event>(ex);
  auto all = std::make_shared<Event>(ex);
  auto pending = std::make_shared<std::size_t>(live.size());
  if (live.empty()) all->set();
  for (auto& [n, p] : live) {
    std::vector<std::shared_ptr<Event>> dependents;
    for (auto& [m, q] : live)
      for (const auto& d : q->spec().member.depends_on)
        if (d.name == n && m != n) dependents.push_back(stopped.at(m));
    auto task = [](Supervisor& sup, std::shared_ptr<Process> member, std::vector<std::shared_ptr<Event>> after,
                   std::shared_ptr<DownResult> result) -> asio::awaitable<void> {
      for (auto& e : after) co_await e->wait();
      co_await sup.stop(Target{member->pid(), std::nullopt, std::nullopt, std::nullopt}, false);
      result->stopped.push_back(member);
    };
    auto mine = stopped.at(n);
    OnEnd on_end{nullptr, [mine, pending, all] {
                   mine->set();  // also after an exception: dependents' stops go on
                   if (--*pending == 0) all->set();
                 }};
    run_in_background(ex, task(sup_, p, std::move(dependents), r), "stopping " + n + " of stack " + stack, p,
                      std::move(on_end));
  }
  co_await all->wait();
  release(stack, turn);
  co_return std::move(*r);
}

}  // namespace pp::stack
