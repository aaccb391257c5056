#include "http/host_check.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace pp::http {

namespace {
bool is_port(std::string_view s) {
  return !s.empty() && s.size() <= 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

bool is_loopback_host(std::string_view host_in) {
  std::string host = lower(host_in);
  std::string_view h = host;
  if (h.starts_with("[::1]")) {
    h.remove_prefix(5);
    return h.empty() || (h[0] == ':' && is_port(h.substr(1)));
  }
  auto colon = h.find(':');
  std::string_view name = h.substr(0, colon);
  if (colon != std::string_view::npos && !is_port(h.substr(colon + 1))) return false;
  return name == "localhost" || name == "127.0.0.1";
}

bool is_loopback_origin(std::string_view origin_in) {
  std::string origin = lower(origin_in);
  std::string_view o = origin;
  if (o.starts_with("http://"))
    o.remove_prefix(7);
  else if (o.starts_with("https://"))
    o.remove_prefix(8);
  else
    return false;
  if (!o.empty() && o.back() == '/') o.remove_suffix(1);
  return is_loopback_host(o);
}

}  // namespace pp::http
