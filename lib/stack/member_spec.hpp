// How a stack file's process is started: the ProcessSpec the process table gets
// for it (docs/stacks.md#labels), and how its members are found in that table.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stack/stack_spec.hpp"
#include "supervise/supervisor.hpp"

namespace pp::stack {

// "<stack>/<name>".
std::string member_label(const std::string& stack, const std::string& name);

// Command, directory, environment, label, TTY, restart policy, readiness,
// membership and shutdown of `p`, a process of `spec`.
ProcessSpec member_spec(const StackSpec& spec, const StackProcess& p);

// What `up` starts: a stack's name and its members' specs, each after all it
// depends on (ProcessSpec::member names them).
struct StackPlan {
  std::string name;
  std::vector<ProcessSpec> members;
};
StackPlan plan_of(const StackSpec& spec);
// Members of one stack in any order (a state file's), put in dependency order
// (stable otherwise); a dependency on a member not among them is dropped, and so
// is any dependency that would close a cycle.
StackPlan plan_from(std::string name, std::vector<ProcessSpec> members);

// The newest entry of each member of `stack` in `sup`'s table, by name.
std::map<std::string, std::shared_ptr<Process>> current_members(const Supervisor& sup, const std::string& stack);

// Running, or waiting for its restart policy to start it again.
inline bool supervised(const Process& p) { return p.running() || p.restart_due().has_value(); }

}  // namespace pp::stack
