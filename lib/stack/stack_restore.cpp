#include "stack/stack_restore.hpp"

#include <map>

#include "core/background.hpp"
#include "core/logger.hpp"

namespace pp::stack {

namespace {

boost::asio::awaitable<void> restore_one(Stacks& stacks, StackPlan plan) {
  std::string name = plan.name;
  UpResult r = co_await stacks.up(std::move(plan), UpOptions{});
  if (r.error.empty())
    logger::info("stack '" + name + "' restored: every process is up");
  else
    logger::warning("stack '" + name + "' restored only in part: " + r.error);
}

}  // namespace

void restore_stacks(const boost::asio::any_io_executor& ex, Stacks& stacks, std::vector<ProcessSpec> members) {
  std::map<std::string, std::vector<ProcessSpec>> by_stack;
  for (auto& m : members) by_stack[m.member.stack].push_back(std::move(m));
  for (auto& [name, specs] : by_stack)
    run_in_background(ex, restore_one(stacks, plan_from(name, std::move(specs))), "restoring stack " + name);
}

}  // namespace pp::stack
