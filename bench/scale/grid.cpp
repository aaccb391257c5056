#include "scale/grid.hpp"

#include <boost/json.hpp>

#include "common/stats.hpp"
#include "common/table.hpp"

namespace pp::bench {

namespace json = boost::json;

GridRow& Grid::row(const std::string& k, const std::string& title, int prec) {
  GridRow r;
  r.key = k;
  r.title = title;
  r.prec = prec;
  rows.push_back(std::move(r));
  return rows.back();
}

namespace {

std::string cell(const Grid& g, const GridRow& r, int size) {
  auto f = r.figure.find(size);
  if (f != r.figure.end()) return std::isnan(f->second) ? "—" : num(f->second, r.prec);
  return g.skipped.count(size) ? "skipped" : "—";
}

// The last size's figure over the first's, both measured.
std::string growth(const Grid& g, const GridRow& r) {
  double first = NAN, last = NAN;
  for (int s : g.sizes) {
    auto f = r.figure.find(s);
    if (f == r.figure.end() || std::isnan(f->second)) continue;
    if (std::isnan(first)) first = f->second;
    last = f->second;
  }
  if (std::isnan(first) || first == 0 || first == last) return "—";
  return "×" + num(last / first, last / first < 10 ? 2 : 1);
}

std::string result(const GridRow& r) {
  if (std::isnan(r.below) || r.figure.empty()) return "—";
  std::string missed;
  for (const auto& [size, v] : r.figure)
    if (!std::isnan(v) && v >= r.below) missed += (missed.empty() ? "" : ", ") + std::to_string(size);
  return missed.empty() ? "met" : "**MISSED** at " + missed;
}

}  // namespace

std::string Grid::markdown() const {
  std::string t = caption + "\n\n| measure |";
  std::string rule = "|---|";
  for (int s : sizes) {
    t += " " + size_name + " = " + std::to_string(s) + " |";
    rule += "---|";
  }
  t += " growth | target | result |\n" + rule + "---|---|---|\n";
  for (const auto& r : rows) {
    t += "| " + r.title + " |";
    for (int s : sizes) t += " " + cell(*this, r, s) + " |";
    t += " " + growth(*this, r) + " | " + (r.target.empty() ? "—" : r.target) + " | " + result(r) + " |\n";
  }
  for (const auto& [size, why] : skipped) t += "\n" + size_name + " = " + std::to_string(size) + " skipped: " + why;
  if (!skipped.empty()) t += "\n";
  for (const auto& n : notes) t += "\n" + n;
  if (!notes.empty()) t += "\n";
  return t;
}

json::object Grid::json() const {
  json::object rows_json;
  for (const auto& r : rows) {
    json::object by_size;
    for (int s : sizes) {
      json::object c;
      auto f = r.figure.find(s);
      c["figure"] = f == r.figure.end() || std::isnan(f->second) ? json::value(nullptr) : json::value(f->second);
      auto smp = r.samples.find(s);
      if (smp != r.samples.end()) c["samples"] = json::value_from(smp->second);
      by_size[std::to_string(s)] = c;
    }
    rows_json[r.key] = {{"title", r.title},
                        {"by_size", by_size},
                        {"target", r.target.empty() ? json::value(nullptr) : json::value(r.target)},
                        {"result", result(r)}};
  }
  json::object skipped_json;
  for (const auto& [size, why] : skipped) skipped_json[std::to_string(size)] = why;
  return {{"caption", caption},   {"size_name", size_name}, {"sizes", json::value_from(sizes)},
          {"rows", rows_json},    {"skipped", skipped_json}, {"notes", json::value_from(notes)},
          {"table_markdown", markdown()}};
}

}  // namespace pp::bench
