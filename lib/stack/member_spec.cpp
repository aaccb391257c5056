#include "stack/member_spec.hpp"

#include <signal.h>

#include <algorithm>
#include <set>

namespace pp::stack {

namespace {

std::chrono::milliseconds seconds(int s) { return std::chrono::milliseconds(std::int64_t{s} * 1000); }

ReadinessProbe probe_of(const Probe& p) {
  ReadinessProbe r;
  if (p.exec) r.exec = ExecCheck{p.exec->argv, p.exec->working_dir.string()};
  if (p.http_get) r.http_get = HttpCheck{p.http_get->host, p.http_get->port, p.http_get->path};
  r.initial_delay = seconds(p.initial_delay_seconds);
  r.period = seconds(p.period_seconds);
  r.timeout = seconds(p.timeout_seconds);
  r.failure_threshold = p.failure_threshold;
  return r;
}

RestartPolicy policy_of(const Availability& a) {
  RestartPolicy r;
  switch (a.restart) {
    case Restart::no: r.mode = RestartPolicy::Mode::no; break;
    case Restart::on_failure: r.mode = RestartPolicy::Mode::on_failure; break;
    case Restart::always: r.mode = RestartPolicy::Mode::always; break;
  }
  if (a.max_restarts) r.max_restarts = *a.max_restarts;
  if (a.backoff_seconds) r.backoff = std::chrono::milliseconds(static_cast<std::int64_t>(*a.backoff_seconds * 1000 + 0.5));
  return r;
}

}  // namespace

std::string member_label(const std::string& stack, const std::string& name) { return stack + "/" + name; }

ProcessSpec member_spec(const StackSpec& spec, const StackProcess& p) {
  ProcessSpec s;
  s.command = p.argv;
  s.cwd = p.working_dir.string();
  s.env = EnvOverlay(p.environment.begin(), p.environment.end());
  s.label = member_label(spec.name, p.name);
  s.tty = p.tty;
  s.restart = policy_of(p.availability);
  s.ready.log_line = p.ready_log_line;
  if (p.readiness_probe) s.ready.probe = probe_of(*p.readiness_probe);
  s.member.stack = spec.name;
  s.member.name = p.name;
  for (const auto& d : p.depends_on) s.member.depends_on.push_back({d.name, to_string(d.condition)});
  s.stop_signal = p.shutdown.signal.value_or(SIGTERM);
  if (p.shutdown.timeout_seconds) s.stop_grace = seconds(*p.shutdown.timeout_seconds);
  return s;
}

StackPlan plan_of(const StackSpec& spec) {
  StackPlan plan{spec.name, {}};
  for (const auto& name : spec.order) plan.members.push_back(member_spec(spec, *spec.find(name)));
  return plan;
}

StackPlan plan_from(std::string name, std::vector<ProcessSpec> members) {
  StackPlan plan{std::move(name), {}};
  std::set<std::string> names, placed;
  for (const auto& m : members) names.insert(m.member.name);
  for (auto& m : members)  // what is not there cannot be waited for
    std::erase_if(m.member.depends_on, [&](const auto& d) { return !names.count(d.name); });
  // Repeatedly place every member whose dependencies are placed; what is left is a
  // cycle: its first member goes without the dependencies not placed yet.
  while (plan.members.size() < members.size()) {
    bool progress = false;
    for (auto& m : members) {
      if (placed.count(m.member.name)) continue;
      bool ready = std::all_of(m.member.depends_on.begin(), m.member.depends_on.end(),
                               [&](const auto& d) { return placed.count(d.name) > 0; });
      if (!ready) continue;
      placed.insert(m.member.name);
      plan.members.push_back(m);
      progress = true;
    }
    if (progress) continue;
    for (auto& m : members)
      if (!placed.count(m.member.name)) {
        std::erase_if(m.member.depends_on, [&](const auto& d) { return !placed.count(d.name); });
        break;
      }
  }
  return plan;
}

std::map<std::string, std::shared_ptr<Process>> current_members(const Supervisor& sup, const std::string& stack) {
  std::map<std::string, std::shared_ptr<Process>> out;
  for (auto& p : sup.list(Target{}))  // oldest first: a later entry (a restart) replaces an earlier one
    if (p->spec().member.stack == stack) out[p->spec().member.name] = p;
  return out;
}

}  // namespace pp::stack
