#include "stacks/report.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "common/stats.hpp"
#include "common/table.hpp"

namespace pp::bench {

namespace json = boost::json;

namespace {

std::string cell(const std::vector<double>& v, int prec) {
  if (v.empty()) return "—";
  if (v.size() == 1) return num(v[0], prec);
  return num(median(v), prec) + " (" + num(lowest(v), prec) + "–" + num(highest(v), prec) + ")";
}

// The peer's median over persistproc's; "—" without both, and for a zero
// persistproc figure (lines lost) the peer's own figure says it.
std::string ratio_cell(const std::vector<double>& peer, const std::vector<double>& pp) {
  if (peer.empty() || pp.empty()) return "—";
  double a = median(peer), b = median(pp);
  if (b == 0) return a == 0 ? "= (both 0)" : "∞ (pp 0)";
  double r = a / b;
  return num(r, r < 1 ? 2 : 1);
}

}  // namespace

std::string stacks_table(const std::vector<Row>& rows, const std::vector<std::string>& tools) {
  std::string head = "| measure |", rule = "|---|";
  for (const auto& t : tools) {
    head += " " + t + " |";
    rule += "---|";
  }
  for (std::size_t i = 1; i < tools.size(); ++i) {
    head += " " + tools[i] + " / pp |";
    rule += "---|";
  }
  std::string out = head + "\n" + rule + "\n";
  for (const auto& r : rows) {
    auto samples = [&](const std::string& t) {
      auto it = r.by_tool.find(t);
      return it == r.by_tool.end() ? std::vector<double>{} : it->second;
    };
    out += "| " + r.title + " |";
    for (const auto& t : tools) out += " " + cell(samples(t), r.prec) + " |";
    for (std::size_t i = 1; i < tools.size(); ++i) out += " " + ratio_cell(samples(tools[i]), samples(tools[0])) + " |";
    out += "\n";
  }
  return out;
}

json::object row_json(const Row& row, const std::vector<std::string>& tools) {
  json::object o{{"title", row.title}};
  for (const auto& t : tools) {
    auto it = row.by_tool.find(t);
    if (it == row.by_tool.end() || it->second.empty()) {
      o[t] = nullptr;
      continue;
    }
    const auto& v = it->second;
    json::object s{{"samples", json::value_from(v)}, {"median", median(v)}, {"min", lowest(v)}, {"max", highest(v)}};
    auto pp = row.by_tool.find(tools[0]);
    if (t != tools[0] && pp != row.by_tool.end() && !pp->second.empty() && median(pp->second) != 0)
      s["ratio_to_persistproc"] = median(v) / median(pp->second);
    o[t] = s;
  }
  return o;
}

}  // namespace pp::bench
