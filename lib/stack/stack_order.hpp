// The order a stack comes up in (docs/stacks.md#order): every enabled process
// after all it depends on, independent ones in file order. `down` stops in the
// reverse of it.
#pragma once
#include <string>
#include <vector>

#include "stack/stack_spec.hpp"

namespace pp::stack {

// The enabled processes' names in dependency order. Throws StackError (naming
// spec.file and the line) for a dependency on an unknown or disabled process, a
// process named twice in one depends_on, a ready condition on a process with
// neither ready_log_line nor readiness_probe, and a cycle, which the message
// spells out ("a -> b -> a").
std::vector<std::string> dependency_order(const StackSpec& spec);

}  // namespace pp::stack
