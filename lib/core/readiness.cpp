#include "core/readiness.hpp"

#include <charconv>

namespace pp {

namespace {
constexpr std::string_view kPrefix = "persistproc listening on http://127.0.0.1:";
}

std::string readiness_line(const std::string& url) { return "persistproc listening on " + url + "\n"; }

std::optional<int> readiness_port(std::string_view text) {
  auto at = text.find(kPrefix);
  if (at == std::string_view::npos) return std::nullopt;
  auto rest = text.substr(at + kPrefix.size());
  if (rest.find('\n') == std::string_view::npos) return std::nullopt;  // not a whole line yet
  int port = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), port);
  if (ec != std::errc() || end == rest.data() || port <= 0 || port > 65535) return std::nullopt;
  return port;
}

}  // namespace pp
