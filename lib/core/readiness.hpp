// The readiness line a server prints once every part of it can answer, and the
// one parser of it (detach, the tests and scripts wait for this line).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace pp {

// "persistproc listening on <url>\n"
std::string readiness_line(const std::string& url);
// The port of the first readiness line in `text` (output read so far), if any
// whole line is there yet.
std::optional<int> readiness_port(std::string_view text);

}  // namespace pp
