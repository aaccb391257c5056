// The process table's calls on a running process without stopping it: its input,
// its terminal's size, signals (docs/mcp.md#ctrl).
#include "supervise/supervisor.hpp"

namespace pp {

Instance* Supervisor::running_instance(const Target& t, CtrlOutcome& out) const {
  auto found = find(t);
  out = {found.process, std::nullopt, found.error};
  if (!found.process) return nullptr;
  auto& p = *found.process;
  std::string who = "Process " + std::to_string(p.pid());
  if (!p.running()) {
    out.exit_code = p.exit_code();
    out.error = who + " is not running (" + to_string(p.status()) + ").";
    return nullptr;
  }
  auto* inst = dynamic_cast<Instance*>(&p);
  if (!inst) out.error = who + " was started by an earlier server; it can only be read.";
  return inst;
}

CtrlOutcome Supervisor::input(const Target& t, std::string_view text, std::shared_ptr<LineWatcher> watcher) {
  CtrlOutcome out;
  Instance* inst = running_instance(t, out);
  if (!inst) return out;
  if (watcher) inst->add_line_watcher(watcher);
  std::string who = "Process " + std::to_string(inst->pid());
  switch (inst->write_input(text)) {
    case InputFeed::Result::written: break;
    case InputFeed::Result::ended: out.error = who + " is being stopped; it takes no input."; break;
    case InputFeed::Result::refused: out.error = who + " has closed its input."; break;
    case InputFeed::Result::not_reading:
      out.error = who + " is not reading its input: " + std::to_string(InputFeed::kMaxPending / 1024) +
                  " KiB already wait to be written, so this text was not (fully) sent.";
      break;
  }
  return out;
}

CtrlOutcome Supervisor::resize(const Target& t, unsigned short columns, unsigned short rows) {
  CtrlOutcome out;
  if (Instance* inst = running_instance(t, out)) {
    out.error = inst->resize(columns, rows);
    if (out.error.empty()) changed_(true);  // state.json keeps the size for a restore
  }
  return out;
}

CtrlOutcome Supervisor::signal(const Target& t, int sig) {
  CtrlOutcome out;
  if (Instance* inst = running_instance(t, out)) inst->signal_group(sig);
  return out;
}

}  // namespace pp
