#include "mcp/args.hpp"

#include <cmath>
#include <cstdio>

namespace pp::mcp {

const json::value* Args::get(const char* name) const {
  auto* v = o_.if_contains(name);
  return (v && !v->is_null()) ? v : nullptr;
}

std::optional<std::string> Args::str(const char* name) const {
  auto* v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw RpcError{kInvalidParams, std::string("'") + name + "' must be a string"};
  return std::string(v->as_string());
}

std::optional<std::int64_t> Args::integer(const char* name, std::int64_t min, std::int64_t max) const {
  auto* v = get(name);
  if (!v) return std::nullopt;
  std::string range = std::string("'") + name + "' must be an integer from " + std::to_string(min) + " to " +
                      std::to_string(max);
  std::int64_t n;
  if (v->is_int64())
    n = v->as_int64();
  else if (v->is_uint64())
    throw RpcError{kInvalidParams, range};
  else if (v->is_double()) {
    double d = v->as_double();
    if (!std::isfinite(d) || d != std::floor(d) || d < -9.2e18 || d > 9.2e18) throw RpcError{kInvalidParams, range};
    n = static_cast<std::int64_t>(d);
  } else
    throw RpcError{kInvalidParams, range};
  if (n < min || n > max) throw RpcError{kInvalidParams, range};
  return n;
}

std::optional<double> Args::number(const char* name, double min, double max) const {
  auto* v = get(name);
  if (!v) return std::nullopt;
  double d = v->is_number() ? v->to_number<double>() : std::nan("");
  if (!(d >= min && d <= max)) {  // false for NaN too
    char range[96];
    std::snprintf(range, sizeof range, " must be a number from %g to %g", min, max);
    throw RpcError{kInvalidParams, std::string("'") + name + "'" + range};
  }
  return d;
}

std::optional<bool> Args::boolean(const char* name) const {
  auto* v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_bool()) throw RpcError{kInvalidParams, std::string("'") + name + "' must be true or false"};
  return v->as_bool();
}

std::optional<std::map<std::string, std::string>> Args::string_map(const char* name) const {
  auto* v = get(name);
  if (!v) return std::nullopt;
  std::string msg = std::string("'") + name + "' must be an object of string values";
  if (!v->is_object()) throw RpcError{kInvalidParams, msg};
  std::map<std::string, std::string> out;
  for (const auto& [k, val] : v->as_object()) {
    if (!val.is_string()) throw RpcError{kInvalidParams, msg};
    if (k.empty() || k.find('=') != json::string_view::npos)
      throw RpcError{kInvalidParams, "invalid environment variable name '" + std::string(k) + "'"};
    out[std::string(k)] = std::string(val.as_string());
  }
  return out;
}

void Args::only(std::initializer_list<const char*> known) const {
  for (const auto& [k, v] : o_) {
    bool ok = false;
    for (const char* n : known) ok = ok || k == n;
    if (!ok) throw RpcError{kInvalidParams, "unknown argument '" + std::string(k) + "'"};
  }
}

}  // namespace pp::mcp
