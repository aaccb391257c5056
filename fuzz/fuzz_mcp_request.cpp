// Fuzzes the whole request path behind the socket: raw bytes -> Beast's HTTP
// parser (with the server's limits) -> Host/Origin and token checks -> the MCP
// server -> the tools, with a real supervisor that refuses to start anything
// (it is shut down first), so lookups, stop/restart/list/output all run.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "http/respond.hpp"
#include "mcp/tools.hpp"

namespace {

struct World {
  boost::asio::io_context ioc;
  pp::WorkerPool readers{pp::mcp::kReaderThreads};
  pp::mcp::OutputReading reading{&readers, pp::kReadBudget, nullptr};
  std::unique_ptr<pp::Supervisor> sup;
  pp::LogFile log;
  pp::mcp::ServerSelf self;
  std::unique_ptr<pp::mcp::Server> server;
  pp::http::HttpConfig config;
  std::string session;

  World() {
    char dir[] = "/tmp/pp-fuzz-XXXXXX";
    std::string d = ::mkdtemp(dir) ? dir : "/tmp";
    sup = std::make_unique<pp::Supervisor>(ioc.get_executor(), d);
    boost::asio::co_spawn(ioc, sup->shutdown(true), boost::asio::detached);
    ioc.run();
    ioc.restart();
    log.open(d + "/server.log");
    log.append(pp::now_ms(), "INFO fuzz");
    log.flush();
    self = {1, d, d + "/server.log", &log, pp::now_ms()};
    server = std::make_unique<pp::mcp::Server>(pp::mcp::make_tools(*sup, self, reading), "fuzz");
    config.token = "t0k3n";
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World w;
  namespace bh = boost::beast::http;
  bh::request_parser<bh::string_body> parser;
  parser.body_limit(w.config.max_body);
  parser.header_limit(16 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  pp::http::Request req = parser.release();
  boost::asio::co_spawn(w.ioc, pp::http::respond(req, *w.server, w.config), boost::asio::detached);
  w.ioc.run();
  w.ioc.restart();
  return 0;
}
