// `list` as a table, one row per process (docs/cli.md#list): PID, NAME, STATUS,
// UPTIME (or how long ago it ended), PORTS, MEM, RESTARTS, fitted to a width.
#pragma once
#include <boost/json/object.hpp>
#include <string>

#include "core/timestamp.hpp"

namespace pp::cli {

struct TableStyle {
  int width = 80;       // columns to fit in; NAME takes what the others leave
  bool colour = false;  // the status coloured: running green, a failure red
  Millis now = 0;       // for "ended 5m ago"
};

// The `list` tool's result as a table; "No processes running" when it has none.
// A row wider than `width` is possible only when the fixed columns alone are.
std::string format_list_table(const boost::json::object& r, const TableStyle& style);

// The style for stdout here: the width from $COLUMNS, else the terminal's, else
// 80; colour on a terminal unless $NO_COLOR is set and not empty; now.
TableStyle table_style_for_stdout();

// "42s", "5m03s", "2h05m", "3d04h": a duration at a glance, two units at most.
std::string short_duration(long long seconds);

}  // namespace pp::cli
