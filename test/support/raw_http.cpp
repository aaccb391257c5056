#include "support/raw_http.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace pp::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;

HttpResult http_request(int port, const std::string& method, const std::string& target, const std::string& body,
                        const std::map<std::string, std::string>& headers) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), static_cast<unsigned short>(port)));
  bh::request<bh::string_body> req{bh::string_to_verb(method), target, 11};
  req.set(bh::field::host, "127.0.0.1:" + std::to_string(port));
  req.set(bh::field::content_type, "application/json");
  req.set(bh::field::accept, "application/json, text/event-stream");
  for (const auto& [k, v] : headers) {
    if (v.empty())
      req.erase(k);
    else
      req.set(k, v);
  }
  req.body() = body;
  req.prepare_payload();
  beast::error_code ec;
  bh::write(stream, req, ec);  // a refused upload may end early; the answer is still there to read
  beast::flat_buffer buf;
  bh::response<bh::string_body> res;
  bh::read(stream, buf, res, ec);
  HttpResult r;
  if (ec) return r;
  r.status = res.result_int();
  for (const auto& f : res) r.headers[std::string(f.name_string())] = std::string(f.value());
  r.body = res.body();
  return r;
}

std::string http_initialize(int port, const std::string& token) {
  auto r = http_request(port, "POST", "/mcp/",
                        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
                        R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})",
                        {{"Authorization", "Bearer " + token}});
  return r.headers["Mcp-Session-Id"];
}

}  // namespace pp::test
