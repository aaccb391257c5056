#include "stack/stack_order.hpp"

#include <algorithm>
#include <map>

#include "stack/stack_error.hpp"

namespace pp::stack {

namespace {

void check_dependencies(const StackSpec& spec, const std::map<std::string, const StackProcess*>& by_name) {
  for (const auto& p : spec.processes) {
    if (p.disabled) continue;
    for (std::size_t i = 0; i < p.depends_on.size(); ++i) {
      const Dependency& d = p.depends_on[i];
      std::string who = "process '" + p.name + "' depends on '" + d.name + "'";
      for (std::size_t j = 0; j < i; ++j)
        if (p.depends_on[j].name == d.name) fail_at(spec.file, d.line, who + " twice");
      auto it = by_name.find(d.name);
      if (it == by_name.end()) fail_at(spec.file, d.line, who + ", which is not defined");
      const StackProcess& dep = *it->second;
      if (dep.disabled) fail_at(spec.file, d.line, who + ", which is disabled");
      if (d.condition == Condition::ready && !dep.has_readiness())
        fail_at(spec.file, d.line,
                who + " being ready, but '" + d.name + "' has neither ready_log_line nor readiness_probe");
    }
  }
}

// A cycle among `left` (processes not yet placed, each with a dependency not
// placed): walking dependencies from any of them must come back to one.
[[noreturn]] void fail_cycle(const StackSpec& spec, const std::vector<const StackProcess*>& left,
                             const std::map<std::string, const StackProcess*>& by_name) {
  auto unplaced = [&](const std::string& n) {
    return std::any_of(left.begin(), left.end(), [&](const StackProcess* q) { return q->name == n; });
  };
  std::vector<const StackProcess*> path{left.front()};
  while (true) {
    const StackProcess* cur = path.back();
    auto next = std::find_if(cur->depends_on.begin(), cur->depends_on.end(),
                             [&](const Dependency& d) { return unplaced(d.name); });
    const StackProcess* n = by_name.at(next->name);
    auto seen = std::find(path.begin(), path.end(), n);
    if (seen != path.end()) {
      std::string cycle;
      for (auto it = seen; it != path.end(); ++it) cycle += (*it)->name + " -> ";
      cycle += n->name;
      fail_at(spec.file, (*seen)->line, "dependency cycle: " + cycle);
    }
    path.push_back(n);
  }
}

}  // namespace

std::vector<std::string> dependency_order(const StackSpec& spec) {
  std::map<std::string, const StackProcess*> by_name;
  for (const auto& p : spec.processes) by_name[p.name] = &p;
  check_dependencies(spec, by_name);

  // Repeatedly place, in file order, each process whose dependencies are all placed.
  std::vector<std::string> order;
  std::vector<const StackProcess*> left;
  for (const auto& p : spec.processes)
    if (!p.disabled) left.push_back(&p);
  auto placed = [&](const std::string& n) { return std::find(order.begin(), order.end(), n) != order.end(); };
  while (!left.empty()) {
    std::size_t before = left.size();
    for (auto it = left.begin(); it != left.end();) {
      const auto& deps = (*it)->depends_on;
      if (std::all_of(deps.begin(), deps.end(), [&](const Dependency& d) { return placed(d.name); })) {
        order.push_back((*it)->name);
        it = left.erase(it);
      } else {
        ++it;
      }
    }
    if (left.size() == before) fail_cycle(spec, left, by_name);
  }
  return order;
}

}  // namespace pp::stack
