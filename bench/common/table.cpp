#include "common/table.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "common/stats.hpp"

namespace pp::bench {

namespace json = boost::json;

namespace {

// Ratios below this get a third decimal, so a small one keeps two significant digits.
constexpr double kSmallRatio = 0.1;

// One sample as it is; several as "median (min–max)".
std::string cell(const std::vector<double>& v, int prec) {
  if (v.empty()) return "—";
  if (v.size() == 1) return num(v[0], prec);
  return num(median(v), prec) + " (" + num(lowest(v), prec) + "–" + num(highest(v), prec) + ")";
}

std::string or_dash(const std::string& s) { return s.empty() ? "—" : s; }

std::string result(const Measure& m) {
  std::string verdict = !m.met ? "—" : *m.met ? "met" : "**MISSED**";
  return m.note.empty() ? verdict : verdict + " " + m.note;
}

json::value samples_json(const std::vector<double>& v) {
  if (v.empty()) return nullptr;
  return json::object{{"samples", json::value_from(v)}, {"median", median(v)}, {"min", lowest(v)}, {"max", highest(v)}};
}

json::value or_null(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

}  // namespace

std::string num(double v, int prec) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}

double ratio(const Measure& m) { return m.pp.empty() || m.peer.empty() ? NAN : median(m.pp) / median(m.peer); }

std::string table(const std::vector<Measure>& rows) {
  std::string t =
      "| measure | persistproc | peer | peer's figure | ratio pp/peer | limit | target | result |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const auto& m : rows) {
    double r = ratio(m);
    std::string limit = m.limit.empty() ? "—" : cell(m.limit, m.prec) + " " + m.limit_name;
    std::string r_cell = std::isnan(r) ? "—" : num(r, r < kSmallRatio ? 3 : 2);
    t += "| " + m.title + " | " + cell(m.pp, m.prec) + " | " + or_dash(m.peer_name) + " | " + cell(m.peer, m.prec) +
         " | " + r_cell + " | " + limit + " | " + or_dash(m.target) + " | " + result(m) + " |\n";
  }
  return t;
}

json::object measure_json(const Measure& m) {
  double r = ratio(m);
  return {{"title", m.title},
          {"persistproc", samples_json(m.pp)},
          {"peer", or_null(m.peer_name)},
          {"peer_figures", samples_json(m.peer)},
          {"ratio", std::isnan(r) ? json::value(nullptr) : json::value(r)},
          {"limit", or_null(m.limit_name)},
          {"limit_figures", samples_json(m.limit)},
          {"target", or_null(m.target)},
          {"met", m.met ? json::value(*m.met) : json::value(nullptr)},
          {"note", m.note}};
}

}  // namespace pp::bench
