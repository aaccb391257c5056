// Whether a member of a stack has reached what `up` waits for (docs/stacks.md#up):
// a dependency's condition, or the member's own readiness. Decided from the
// process table's facts alone, so `up` re-asks on every lifecycle event instead
// of polling.
#pragma once
#include <memory>
#include <string>

#include "stack/stack_spec.hpp"
#include "supervise/process.hpp"

namespace pp::stack {

struct Verdict {
  enum Kind { pending, holds, failed } kind = pending;
  std::string why;  // failed: a sentence about the process ("exited with code 1 before it was ready")
};

// `p` is the member's newest entry (null: not started yet).
Verdict check_condition(const Process* p, Condition c);

// What `up` waits for of every member: ready (with readiness configured; see
// Process::ready), else running; either way an exit with code 0 that no restart
// follows also counts (a one-off job such as a migration), once it was ready.
Verdict check_up(const Process* p);

}  // namespace pp::stack
