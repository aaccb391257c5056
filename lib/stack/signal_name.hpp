// A shutdown signal as a stack file may give it: a name (TERM, SIGTERM, term)
// or a number (15), as process-compose writes it.
#pragma once
#include <optional>
#include <string_view>

namespace pp::stack {

// The signal's number, or nullopt when `text` names none (numbers 1 to 64).
std::optional<int> signal_from_text(std::string_view text);

}  // namespace pp::stack
