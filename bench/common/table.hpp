// The table the benchmarks print: one row per measure, persistproc beside its
// peer and the physical limit, with the target and whether it was met;
// and the same rows as JSON, every sample kept.
#pragma once
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

namespace pp::bench {

struct Measure {
  Measure(std::string k, std::string t) : key(std::move(k)), title(std::move(t)) {}
  std::string key, title;               // key: the row's name in the JSON
  std::vector<double> pp, peer, limit;  // samples; empty: not applicable
  std::string peer_name, limit_name, target, note;
  std::optional<bool> met;
  int prec = 2;  // decimals in the cells
};

// v with `prec` decimals.
std::string num(double v, int prec);
// persistproc's median over the peer's; NaN without both.
double ratio(const Measure& m);
// The markdown table, header included.
std::string table(const std::vector<Measure>& rows);
// One row with its samples, median, min and max, for the JSON record.
boost::json::object measure_json(const Measure& m);

}  // namespace pp::bench
