// Typed access to a tool call's `arguments`; wrong types raise RpcError(-32602).
// A missing argument and an explicit null both mean "not given".
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "mcp/jsonrpc.hpp"

namespace pp::mcp {

class Args {
 public:
  explicit Args(const json::object& o) : o_(o) {}
  std::optional<std::string> str(const char* name) const;
  std::optional<std::int64_t> integer(const char* name, std::int64_t min, std::int64_t max) const;
  std::optional<double> number(const char* name, double min, double max) const;
  std::optional<bool> boolean(const char* name) const;
  std::optional<std::map<std::string, std::string>> string_map(const char* name) const;
  // Rejects arguments the tool does not declare (a typo should not be silently ignored).
  void only(std::initializer_list<const char*> known) const;

 private:
  const json::value* get(const char* name) const;
  const json::object& o_;
};

}  // namespace pp::mcp
