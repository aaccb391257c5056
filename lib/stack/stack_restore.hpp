// serve --restore for stacks (docs/stacks.md#recovery): the members a crashed
// server left, grouped by stack, each stack brought up again in dependency order
// in the background, so the server answers while they come up.
#pragma once
#include <vector>

#include "stack/stacks.hpp"

namespace pp::stack {

// Starts one bring-up per stack among `members` (their state file's specs) and
// returns at once; each logs how it ended.
void restore_stacks(const boost::asio::any_io_executor& ex, Stacks& stacks, std::vector<ProcessSpec> members);

}  // namespace pp::stack
