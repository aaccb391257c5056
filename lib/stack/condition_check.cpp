#include "stack/condition_check.hpp"

#include "stack/member_spec.hpp"

namespace pp::stack {

namespace {

// Ended, and no restart by its policy follows.
bool finished(const Process& p) { return !p.running() && !p.restart_due(); }

std::string how_it_ended(const Process& p) {
  if (p.status() == Status::terminated) return "was stopped";
  auto code = p.exit_code();
  std::string s = code && *code < 0 ? "was killed by signal " + std::to_string(-*code)
                                    : "exited with code " + std::to_string(code.value_or(-1));
  if (!p.note().empty()) s += " (" + p.note() + ")";
  return s;
}

bool succeeded(const Process& p) { return p.status() == Status::exited && p.exit_code() == 0; }

}  // namespace

Verdict check_condition(const Process* p, Condition c) {
  if (!p) return {};
  switch (c) {
    case Condition::started:
      return {Verdict::holds, ""};
    case Condition::ready:
      if (p->running() && p->ready()) return {Verdict::holds, ""};
      if (finished(*p)) return {Verdict::failed, how_it_ended(*p) + " before it was ready"};
      return {};
    case Condition::completed:
      return finished(*p) ? Verdict{Verdict::holds, ""} : Verdict{};
    case Condition::completed_successfully:
      if (!finished(*p)) return {};
      if (succeeded(*p)) return {Verdict::holds, ""};
      return {Verdict::failed, how_it_ended(*p) + " (it had to complete successfully)"};
  }
  return {};
}

Verdict check_up(const Process* p) {
  if (!p) return {};
  if (p->running()) return p->ready() ? Verdict{Verdict::holds, ""} : Verdict{};
  if (!finished(*p)) return {};
  bool was_ready = !p->spec().ready.configured() || p->ready_ms().has_value();
  if (succeeded(*p) && was_ready) return {Verdict::holds, ""};
  return {Verdict::failed, how_it_ended(*p) + (was_ready ? "" : " before it was ready")};
}

}  // namespace pp::stack
