#include "mcp/tool_text.hpp"

#include <boost/json/serialize.hpp>

namespace pp::mcp {

void append_quoted(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s, plain, std::string_view::npos);
}

void response_head(std::string& out, std::string_view id_json) {
  out += R"({"jsonrpc":"2.0","id":)";
  out += id_json;
  out += R"(,"result":{"content":[{"type":"text","text":")";
}

void response_middle(std::string& out) { out += R"("}],"structuredContent":)"; }

void response_tail(std::string& out, bool is_error) {
  out += is_error ? R"(,"isError":true}})" : R"(,"isError":false}})";
}

void append_result(std::string& out, const boost::json::object& result) {
  std::string json = boost::json::serialize(result);
  out.reserve(out.size() + 2 * json.size() + json.size() / 8 + 64);
  append_quoted(out, json);
  response_middle(out);
  out += json;
  auto* e = result.if_contains("error");
  response_tail(out, e && !e->is_null());
}

}  // namespace pp::mcp
