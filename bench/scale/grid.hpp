// The scale benchmark's tables: one row per measure, one column per size (table
// size, subscribers, followers), and the growth from the first size to the last,
// so the cost curve shows at a glance; with the samples behind each cell for the
// JSON record.
#pragma once
#include <boost/json/object.hpp>
#include <cmath>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace pp::bench {

struct GridRow {
  std::string key, title;  // key: the row's name in the JSON
  int prec = 2;            // decimals in the cells
  // The figure a cell shows, by size; a size without one shows why in `skipped`.
  std::map<int, double> figure;
  std::map<int, std::vector<double>> samples;  // what the figure was computed from (JSON only)
  // When set: the figure must be below it (the target), and the result
  // column says at which sizes it was not.
  double below = NAN;
  std::string target;  // the target as the table prints it
};

struct Grid {
  std::string key, caption;  // key: the section's name in the JSON and for --only
  std::string size_name;     // the columns' header: "N", "subscribers", ...
  std::vector<int> sizes;
  std::deque<GridRow> rows;  // a deque: row() keeps earlier rows where they are
  std::map<int, std::string> skipped;  // sizes not measured, and why
  std::vector<std::string> notes;      // lines printed under the table

  GridRow& row(const std::string& key, const std::string& title, int prec = 2);
  // The markdown table with its caption and notes.
  std::string markdown() const;
  boost::json::object json() const;
};

}  // namespace pp::bench
