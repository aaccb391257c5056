// The stacks table: one row per measure, persistproc and each peer side by side
// (median and min–max over the rounds), then each peer's median over
// persistproc's; and the same samples as JSON.
#pragma once
#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <vector>

namespace pp::bench {

struct Row {
  std::string key, title;
  std::map<std::string, std::vector<double>> by_tool;  // samples, by tool name
  int prec = 1;
};

// tools: the column order, persistproc first.
std::string stacks_table(const std::vector<Row>& rows, const std::vector<std::string>& tools);
boost::json::object row_json(const Row& row, const std::vector<std::string>& tools);

}  // namespace pp::bench
