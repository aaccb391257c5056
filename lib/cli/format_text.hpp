// Human-readable forms of the tools' results (docs/cli.md#text-output).
#pragma once
#include <boost/json/object.hpp>
#include <string>

namespace pp::cli {

std::string format_ctrl(const boost::json::object& r);
std::string format_list(const boost::json::object& r);
std::string format_output(const boost::json::object& r);

}  // namespace pp::cli
