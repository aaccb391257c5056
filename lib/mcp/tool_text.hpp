// A tools/call response as text, written into one string in the order it is
// sent:
//   response_head(id) | the result as JSON string contents (the text content) |
//   response_middle | the result itself (structuredContent) | response_tail
// Written as text, the result is serialized once, not built into the response
// object and serialized again, and a tool whose answer is mostly unchanged
// between calls (list) appends the kept text of its parts instead of building
// them (docs/architecture.md#list).
#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace pp::mcp {

// Appends `s` escaped as JSON string contents, exactly as boost::json::serialize
// escapes a string (", \ and control characters; other bytes unchanged).
void append_quoted(std::string& out, std::string_view s);

// `id_json`: the request's id, serialized.
void response_head(std::string& out, std::string_view id_json);
void response_middle(std::string& out);
void response_tail(std::string& out, bool is_error);

// Everything after the head for `result`; an error result has a non-null "error".
void append_result(std::string& out, const boost::json::object& result);

}  // namespace pp::mcp
