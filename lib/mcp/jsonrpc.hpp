// JSON-RPC 2.0 message building: results and the error objects of docs/mcp.md#errors.
#pragma once
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

namespace pp::mcp {

namespace json = boost::json;

enum ErrorCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  // Implementation-defined server error: the server is at a limit (too many sessions).
  kServerBusy = -32000,
};

json::object make_result(const json::value& id, json::value result);
json::object make_error(const json::value& id, int code, const std::string& message);

// Thrown by request handlers for a JSON-RPC error; the dispatcher turns it into one.
struct RpcError {
  int code;
  std::string message;
};

}  // namespace pp::mcp
