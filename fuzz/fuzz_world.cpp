#include "fuzz_world.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <signal.h>
#include <unistd.h>

#include "core/worker_pool.hpp"
#include "mcp/server.hpp"
#include "mcp/tools.hpp"
#include "supervise/log_file.hpp"
#include "supervise/supervisor.hpp"

namespace pp::fuzz {

namespace bh = boost::beast::http;
using namespace std::chrono_literals;

struct World::Parts {
  boost::asio::io_context ioc;
  // After ioc: joined before it goes, as in the server.
  WorkerPool readers{mcp::kReaderThreads};
  mcp::OutputReading reading{&readers, kReadBudget, nullptr};
  std::unique_ptr<Supervisor> sup;
  std::unique_ptr<stack::Stacks> stacks;  // before the server, which refers to it
  LogFile log;
  mcp::ServerSelf self;
  std::unique_ptr<mcp::Server> server;
  http::HttpConfig config;

  // Runs `aw` to its end; a bound, not a wait: nothing here should take seconds.
  template <class T>
  T run(boost::asio::awaitable<T> aw) {
    auto fut = boost::asio::co_spawn(ioc, std::move(aw), boost::asio::use_future);
    auto deadline = std::chrono::steady_clock::now() + 60s;
    ioc.restart();
    while (fut.wait_for(0s) != std::future_status::ready) {
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= 0s) throw std::runtime_error("fuzz world: a request was not answered within 60 s");
      ioc.run_one_for(left);
    }
    return fut.get();
  }

  // Starts `script` under sh and awaits its end (its exit line written).
  void run_to_end(const std::string& label, const std::string& script, const std::string& cwd) {
    ProcessSpec spec{{"/bin/sh", "-c", script}, cwd, {}, label};
    auto started = sup->start(std::move(spec));
    if (!started.error.empty()) throw std::runtime_error("fuzz world: cannot start " + label + ": " + started.error);
    auto proc = started.process;
    if (!run(proc->exited().wait_for(30s))) throw std::runtime_error("fuzz world: " + label + " did not end");
  }
};

World::World(std::string helper) : p_(std::make_unique<Parts>()), helper_(std::move(helper)) {
  // As the server does (serve.cpp): input to a process that closed its stdin is EPIPE, not death.
  ::signal(SIGPIPE, SIG_IGN);
  char tmpl[] = "/tmp/pp-fuzz-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("fuzz world: mkdtemp failed");
  dir_ = tmpl;
  auto& p = *p_;
  if (std::string err = p.log.open(dir_ + "/server.log"); !err.empty()) throw std::runtime_error("fuzz world: " + err);
  p.log.append(now_ms(), "INFO fuzz server log line");
  p.log.flush();
  p.self = {static_cast<int>(::getpid()), dir_, dir_ + "/server.log", &p.log, now_ms()};
  p.config.token = kToken;
  if (!helper_.empty()) {
    begin();
    return;
  }
  p.sup = std::make_unique<Supervisor>(p.ioc.get_executor(), dir_);
  p.run_to_end(kShort, "echo first; echo 'warning: on stderr' >&2; echo 'ready on port 3000'; echo last", dir_);
  p.run_to_end(kCrashed, "echo starting; echo 'error: boom' >&2; exit 3", dir_);
  // Past the rotation size several times over, so combined.log and each stream have a .1.
  p.sup->set_max_log_size(16 * 1024);
  p.run_to_end(kRotated,
               "i=0; while [ $i -lt 2000 ]; do echo \"line $i of the rotated output\"; "
               "[ $((i % 100)) -eq 0 ] && echo \"error $i\" >&2; i=$((i+1)); done",
               dir_);
  p.sup->set_max_log_size(LogFile::kNoLimit);
  // From now on every start (and restart) is refused; lookups, list and output run.
  p.run(p.sup->shutdown(true));
  open_session();
}

void World::begin() {
  auto& p = *p_;
  run_dir_ = dir_ + "/run-" + std::to_string(++runs_);
  std::filesystem::create_directories(run_dir_);
  p.sup = std::make_unique<Supervisor>(p.ioc.get_executor(), run_dir_, StopTimings{100ms, 2s});
  open_session();
}

void World::begin_again() {
  auto& p = *p_;
  if (helper_.empty()) return;
  p.run(p.sup->shutdown(true));
  p.server.reset();  // its tools refer to the supervisor and the stacks
  p.stacks.reset();
  p.sup.reset();
  std::error_code ec;
  std::filesystem::remove_all(run_dir_, ec);
  begin();
}

void World::open_session() {
  auto& p = *p_;
  if (!p.stacks) p.stacks = std::make_unique<stack::Stacks>(p.ioc.get_executor(), *p.sup);
  p.server = std::make_unique<mcp::Server>(mcp::make_tools(*p.sup, *p.stacks, p.self, p.reading), "fuzz");
  session_.clear();
  auto init = post(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
                   R"("capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}})");
  init.erase("Mcp-Session-Id");
  init.erase("MCP-Protocol-Version");
  auto res = send(init);
  auto id = res.find("Mcp-Session-Id");
  if (res.result() != bh::status::ok || id == res.end())
    throw std::runtime_error("fuzz world: initialize failed: " + res.body());
  session_ = std::string(id->value());
}

World::~World() {
  try {
    if (p_->sup) p_->run(p_->sup->shutdown(true));
  } catch (const std::exception&) {
    // Leaving anyway: the temporary directory still goes.
  }
  p_->server.reset();
  p_->sup.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

http::Response World::send(const http::Request& req) { return p_->run(http::respond(req, *p_->server, p_->config)); }

http::Request World::post(std::string body) const {
  http::Request req{bh::verb::post, "/mcp", 11};
  req.set(bh::field::host, "127.0.0.1:8947");
  req.set(bh::field::authorization, std::string("Bearer ") + kToken);
  req.set(bh::field::content_type, "application/json");
  req.set(bh::field::accept, "application/json, text/event-stream");
  req.set("Mcp-Session-Id", session_);
  req.set("MCP-Protocol-Version", "2025-06-18");
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

bool World::session_alive() {
  mcp::RequestHeaders h{session_, std::nullopt, true};
  return p_->run(p_->server->post(h, R"({"jsonrpc":"2.0","id":"alive","method":"ping"})")).status == 200;
}

void World::end_session(const std::string& id) {
  if (id != session_) p_->server->del(mcp::RequestHeaders{id, std::nullopt, true});
}

int World::pid_of(const std::string& label) const {
  auto found = p_->sup->find(Target{std::nullopt, label, std::nullopt});
  return found.process ? found.process->pid() : -1;
}

std::string World::combined_path(const std::string& label) const {
  auto found = p_->sup->find(Target{std::nullopt, label, std::nullopt});
  return found.process ? found.process->logs().combined_path : "";
}

std::optional<http::Request> parse_request(std::string_view bytes, std::string* error) {
  bh::request_parser<bh::string_body> parser;
  parser.body_limit(http::HttpConfig{}.max_body);
  parser.header_limit(16 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) {
    if (error) *error = ec ? ec.message() : "incomplete request";
    return std::nullopt;
  }
  return parser.release();
}

std::optional<std::int64_t> rpc_error_code(std::string_view body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) return std::nullopt;
  auto code_of = [](const boost::json::value& m) -> std::optional<std::int64_t> {
    auto* o = m.if_object();
    auto* e = o ? o->if_contains("error") : nullptr;
    auto* code = e && e->is_object() ? e->as_object().if_contains("code") : nullptr;
    if (code && code->is_int64()) return code->as_int64();
    return std::nullopt;
  };
  if (auto* a = v.if_array()) {
    for (const auto& m : *a)
      if (auto c = code_of(m)) return c;
    return std::nullopt;
  }
  return code_of(v);
}

}  // namespace pp::fuzz
