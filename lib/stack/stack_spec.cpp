#include "stack/stack_spec.hpp"

namespace pp::stack {

const char* to_string(Condition c) {
  switch (c) {
    case Condition::started: return "process_started";
    case Condition::ready: return "process_ready";
    case Condition::completed: return "process_completed";
    case Condition::completed_successfully: return "process_completed_successfully";
  }
  return "unknown";
}

std::optional<Condition> parse_condition(std::string_view text) {
  for (Condition c : {Condition::started, Condition::ready, Condition::completed, Condition::completed_successfully})
    if (text == to_string(c)) return c;
  return std::nullopt;
}

const char* to_string(Restart r) {
  switch (r) {
    case Restart::no: return "no";
    case Restart::on_failure: return "on-failure";
    case Restart::always: return "always";
  }
  return "unknown";
}

const StackProcess* StackSpec::find(std::string_view process_name) const {
  for (const auto& p : processes)
    if (p.name == process_name) return &p;
  return nullptr;
}

std::vector<std::string> StackSpec::warnings() const {
  std::vector<std::string> out;
  for (const auto& u : unsupported) {
    std::string w = file.string() + ":" + std::to_string(u.line) + ": '" + u.key +
                    "' is not supported by persistproc and is ignored";
    if (!u.processes.empty()) {
      w += " (set for ";
      for (std::size_t i = 0; i < u.processes.size(); ++i) w += (i ? ", " : "") + u.processes[i];
      w += ")";
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace pp::stack
