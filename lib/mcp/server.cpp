#include "mcp/server.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/logger.hpp"

namespace pp::mcp {

namespace {

bool supported(std::string_view v) {
  for (const char* s : kProtocolVersions)
    if (v == s) return true;
  return false;
}

std::string notification(int level, const std::string& logger, json::value data) {
  return json::serialize(json::object{
      {"jsonrpc", "2.0"},
      {"method", "notifications/message"},
      {"params", {{"level", kLogLevels[level]}, {"logger", logger}, {"data", std::move(data)}}}});
}

Reply json_reply(int status, const json::value& v) { return {status, json::serialize(v), std::nullopt}; }

bool is_initialize(const json::value& v) {
  if (!v.is_object()) return false;
  auto* m = v.as_object().if_contains("method");
  return m && m->is_string() && m->as_string() == "initialize" && v.as_object().contains("id");
}

}  // namespace

Server::Server(std::vector<Tool> tools, std::string version) : tools_(std::move(tools)), version_(std::move(version)) {}

boost::asio::awaitable<Reply> Server::post(const RequestHeaders& h, std::string_view body) {
  boost::system::error_code ec;
  json::value msg = json::parse(body, ec);
  if (ec) co_return json_reply(400, make_error(nullptr, kParseError, "Parse error: " + ec.message()));

  bool starts_session = is_initialize(msg);
  if (!starts_session) {
    if (!h.session_id)
      co_return json_reply(400, make_error(nullptr, kInvalidRequest,
                                           "Bad Request: Mcp-Session-Id header is required (call initialize first)"));
    if (!sessions_.find(*h.session_id))
      co_return json_reply(404, make_error(nullptr, kInvalidRequest, "Session not found: it ended or never existed"));
    if (h.protocol_version && !supported(*h.protocol_version))
      co_return json_reply(400, make_error(nullptr, kInvalidRequest,
                                           "Unsupported MCP-Protocol-Version: " + *h.protocol_version));
  }

  std::optional<std::string> new_session;
  if (msg.is_array()) {
    const auto& batch = msg.as_array();
    if (batch.empty()) co_return json_reply(400, make_error(nullptr, kInvalidRequest, "Empty batch"));
    json::array out;
    for (const auto& m : batch) {
      auto r = co_await handle(m, h, new_session);
      if (r) out.push_back(std::move(*r));
    }
    if (out.empty()) co_return Reply{202, "", std::nullopt};
    Reply rep = json_reply(200, out);
    rep.session_id = new_session;
    co_return rep;
  }
  auto r = co_await handle(msg, h, new_session);
  if (!r) co_return Reply{202, "", std::nullopt};
  bool bad = r->contains("error") && (*r)["error"].as_object()["code"] == kInvalidRequest;
  Reply rep = json_reply(bad ? 400 : 200, *r);
  rep.session_id = new_session;
  co_return rep;
}

Reply Server::del(const RequestHeaders& h) {
  if (!h.session_id) return json_reply(400, make_error(nullptr, kInvalidRequest, "Mcp-Session-Id header is required"));
  if (!sessions_.erase(*h.session_id)) return {404, "", std::nullopt};
  for (const auto& w : streams_)
    if (auto s = w.lock(); s && s->session == *h.session_id) s->close();
  return {200, "", std::nullopt};
}

Server::Opened Server::open_stream(const RequestHeaders& h, const boost::asio::any_io_executor& ex) {
  if (!h.session_id)
    return {json_reply(400, make_error(nullptr, kInvalidRequest,
                                       "Bad Request: Mcp-Session-Id header is required (call initialize first)")),
            nullptr};
  if (!sessions_.find(*h.session_id))
    return {json_reply(404, make_error(nullptr, kInvalidRequest, "Session not found: it ended or never existed")),
            nullptr};
  std::erase_if(streams_, [](const auto& w) { return w.expired(); });
  if (!stream_gone_) stream_gone_ = std::make_shared<Pulse>(ex);
  auto stream = std::make_shared<EventStream>(ex, *h.session_id, stream_gone_);
  streams_.push_back(stream);
  // A first, debug-level message tells the client the stream is in place, so it
  // can act knowing that no later event will be missed.
  if (sessions_.peek(*h.session_id)->log_level == 0)
    stream->push(notification(0, "persistproc", json::object{{"event", "stream_opened"}}));
  return {{200, "", std::nullopt}, stream};
}

void Server::notify(int level, const std::string& logger, json::value data) {
  std::erase_if(streams_, [](const auto& w) { return w.expired(); });
  if (streams_.empty()) return;
  std::string message = notification(level, logger, std::move(data));
  for (const auto& w : streams_) {
    auto s = w.lock();
    if (!s) continue;
    const Session* session = sessions_.peek(s->session);
    if (!session) {
      s->close();  // expired
      continue;
    }
    if (level >= session->log_level) s->push(message);
  }
}

boost::asio::awaitable<void> Server::end_streams(std::chrono::steady_clock::time_point deadline) {
  for (const auto& w : streams_)
    if (auto s = w.lock()) s->close();
  for (;;) {
    std::erase_if(streams_, [](const auto& w) { return w.expired(); });
    if (streams_.empty() || !stream_gone_ || std::chrono::steady_clock::now() >= deadline) co_return;
    co_await stream_gone_->wait_until(deadline);
  }
}

json::object Server::set_level(const json::object& params, const RequestHeaders& h) {
  auto* l = params.if_contains("level");
  if (l && l->is_string())
    for (int i = 0; i < static_cast<int>(std::size(kLogLevels)); ++i)
      if (l->as_string() == kLogLevels[i]) {
        if (auto* s = h.session_id ? sessions_.find(*h.session_id) : nullptr) s->log_level = i;
        return json::object{};
      }
  throw RpcError{kInvalidParams, "level must be one of debug, info, notice, warning, error, critical, alert, emergency"};
}

boost::asio::awaitable<std::optional<json::object>> Server::handle(const json::value& v, const RequestHeaders& h,
                                                                   std::optional<std::string>& new_session) {
  if (!v.is_object()) co_return make_error(nullptr, kInvalidRequest, "Invalid Request: not a JSON-RPC object");
  const auto& o = v.as_object();
  const json::value* id = o.if_contains("id");
  json::value reply_id = id ? *id : json::value(nullptr);
  auto* jr = o.if_contains("jsonrpc");
  if (!jr || !jr->is_string() || jr->as_string() != "2.0")
    co_return make_error(reply_id, kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"");
  if (id && !id->is_string() && !id->is_int64() && !id->is_uint64())
    co_return make_error(nullptr, kInvalidRequest, "Invalid Request: id must be a string or an integer");
  auto* method = o.if_contains("method");
  if (!method) {
    if (id && (o.contains("result") || o.contains("error"))) co_return std::nullopt;  // a client's response
    co_return make_error(reply_id, kInvalidRequest, "Invalid Request: no method");
  }
  if (!method->is_string()) co_return make_error(reply_id, kInvalidRequest, "Invalid Request: method must be a string");
  std::string name(method->as_string());
  json::object empty;
  const json::object* params = &empty;
  if (auto* p = o.if_contains("params")) {
    if (p->is_object())
      params = &p->as_object();
    else if (!p->is_null())
      co_return id ? std::optional<json::object>(make_error(reply_id, kInvalidParams, "params must be an object"))
                   : std::nullopt;
  }
  if (!id) {  // notification: nothing to answer
    if (name == "notifications/initialized" && h.session_id)
      if (auto* s = sessions_.find(*h.session_id)) s->initialized = true;
    co_return std::nullopt;
  }
  try {
    if (name == "initialize") co_return make_result(reply_id, initialize(*params, h, new_session));
    if (name == "ping") co_return make_result(reply_id, json::object{});
    if (name == "tools/list") co_return make_result(reply_id, list_tools());
    if (name == "tools/call") co_return make_result(reply_id, co_await call_tool(*params));
    if (name == "logging/setLevel") co_return make_result(reply_id, set_level(*params, h));
    co_return make_error(reply_id, kMethodNotFound, "Method not found: " + name);
  } catch (const RpcError& e) {
    co_return make_error(reply_id, e.code, e.message);
  } catch (const std::exception& e) {
    logger::error("internal error in " + name + ": " + e.what());
    co_return make_error(reply_id, kInternalError, std::string("Internal error: ") + e.what());
  }
}

json::object Server::initialize(const json::object& params, const RequestHeaders& h,
                                std::optional<std::string>& new_session) {
  auto* v = params.if_contains("protocolVersion");
  if (!v || !v->is_string()) throw RpcError{kInvalidParams, "initialize needs protocolVersion (a string)"};
  // One response carries one Mcp-Session-Id: a batch starts at most one session.
  if (new_session) throw RpcError{kInvalidRequest, "Invalid Request: one initialize per batch"};
  if (!h.may_start_session)
    throw RpcError{kServerBusy, "Too many sessions started on this connection; reuse one (or DELETE those you left)"};
  std::string requested(v->as_string());
  std::string agreed = supported(requested) ? requested : kProtocolVersions[0];
  const std::string* id = sessions_.create(agreed);
  if (!id)
    throw RpcError{kServerBusy, "Too many active sessions: every one was used within the last minute; try again later"};
  new_session = *id;
  return {
      {"protocolVersion", agreed},
      {"capabilities", {{"tools", {{"listChanged", false}}}, {"logging", json::object{}}}},
      {"serverInfo", {{"name", "persistproc"}, {"version", version_}}},
      {"instructions",
       "persistproc shares long-running processes (dev servers, watchers, databases) between people and agents. "
       "Use `list` to see them, `output` to read their logs, `ctrl` to start, stop or restart them."},
  };
}

json::object Server::list_tools() const {
  json::array tools;
  for (const auto& t : tools_)
    tools.push_back({{"name", t.name},
                     {"description", t.description},
                     {"inputSchema", t.input_schema},
                     {"outputSchema", t.output_schema}});
  return {{"tools", std::move(tools)}};
}

boost::asio::awaitable<json::object> Server::call_tool(const json::object& params) {
  auto* n = params.if_contains("name");
  if (!n || !n->is_string()) throw RpcError{kInvalidParams, "tools/call needs name (a string)"};
  json::object no_args;
  const json::object* args = &no_args;
  if (auto* a = params.if_contains("arguments")) {
    if (a->is_object())
      args = &a->as_object();
    else if (!a->is_null())
      throw RpcError{kInvalidParams, "arguments must be an object"};
  }
  for (const auto& t : tools_) {
    if (t.name != n->as_string()) continue;
    json::object result = co_await t.call(*args);
    bool is_error = result.contains("error") && !result["error"].is_null();
    std::string text = json::serialize(result);
    co_return json::object{{"content", json::array{{{"type", "text"}, {"text", std::move(text)}}}},
                           {"structuredContent", std::move(result)},
                           {"isError", is_error}};
  }
  throw RpcError{kInvalidParams, "Unknown tool: " + std::string(n->as_string())};
}

}  // namespace pp::mcp
