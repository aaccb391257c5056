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

// A JSON-RPC message as sent; a bad request makes the whole reply a 400.
Server::Answer answer(const json::object& message) {
  auto* e = message.if_contains("error");
  bool bad = e && e->is_object() && e->as_object().at("code") == kInvalidRequest;
  return {json::serialize(message), bad};
}


// o[key] when it is an object, `absent` when it is missing or null, else null.
const json::object* object_member(const json::object& o, const char* key, const json::object& absent) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return &absent;
  return v->is_object() ? &v->as_object() : nullptr;
}

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
    std::string out;
    for (const auto& m : batch) {
      auto r = co_await handle(m, h, new_session);
      if (!r) continue;
      out += out.empty() ? '[' : ',';
      out += r->body;
    }
    if (out.empty()) co_return Reply{202, "", std::nullopt};
    out += ']';
    co_return Reply{200, std::move(out), new_session};
  }
  auto r = co_await handle(msg, h, new_session);
  if (!r) co_return Reply{202, "", std::nullopt};
  co_return Reply{r->invalid_request ? 400 : 200, std::move(r->body), new_session};
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

boost::asio::awaitable<std::optional<Server::Answer>> Server::handle(const json::value& v, const RequestHeaders& h,
                                                                   std::optional<std::string>& new_session) {
  if (!v.is_object()) co_return answer(make_error(nullptr, kInvalidRequest, "Invalid Request: not a JSON-RPC object"));
  const auto& o = v.as_object();
  const json::value* id = o.if_contains("id");
  json::value reply_id = id ? *id : json::value(nullptr);
  auto* jr = o.if_contains("jsonrpc");
  if (!jr || !jr->is_string() || jr->as_string() != "2.0")
    co_return answer(make_error(reply_id, kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\""));
  if (id && !id->is_string() && !id->is_int64() && !id->is_uint64())
    co_return answer(make_error(nullptr, kInvalidRequest, "Invalid Request: id must be a string or an integer"));
  auto* method = o.if_contains("method");
  if (!method) {
    if (id && (o.contains("result") || o.contains("error"))) co_return std::nullopt;  // a client's response
    co_return answer(make_error(reply_id, kInvalidRequest, "Invalid Request: no method"));
  }
  if (!method->is_string()) co_return answer(make_error(reply_id, kInvalidRequest, "Invalid Request: method must be a string"));
  std::string name(method->as_string());
  json::object empty;
  const json::object* params = object_member(o, "params", empty);
  if (!params)
    co_return id ? std::optional<Answer>(answer(make_error(reply_id, kInvalidParams, "params must be an object")))
                 : std::nullopt;
  if (!id) {  // notification: nothing to answer
    if (name == "notifications/initialized" && h.session_id)
      if (auto* s = sessions_.find(*h.session_id)) s->initialized = true;
    co_return std::nullopt;
  }
  try {
    if (name == "initialize") co_return answer(make_result(reply_id, initialize(*params, h, new_session)));
    if (name == "ping") co_return answer(make_result(reply_id, json::object{}));
    if (name == "tools/list") co_return answer(make_result(reply_id, list_tools()));
    if (name == "tools/call") {
      // Not inside the braces: g++ 12 destroys a co_await's result in a braced initializer twice.
      std::string body = co_await call_tool(*params, reply_id);
      co_return Answer{std::move(body), false};
    }
    if (name == "logging/setLevel") co_return answer(make_result(reply_id, set_level(*params, h)));
    co_return answer(make_error(reply_id, kMethodNotFound, "Method not found: " + name));
  } catch (const RpcError& e) {
    co_return answer(make_error(reply_id, e.code, e.message));
  } catch (const std::exception& e) {
    logger::error("internal error in " + name + ": " + e.what());
    co_return answer(make_error(reply_id, kInternalError, std::string("Internal error: ") + e.what()));
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
                     {"title", t.title},
                     {"description", t.description},
                     {"annotations", t.annotations},
                     {"inputSchema", t.input_schema},
                     {"outputSchema", t.output_schema}});
  return {{"tools", std::move(tools)}};
}

namespace {
// Bad arguments are the model's to correct, so they are a tool result with
// isError (SEP-1303, protocol 2025-11-25) rather than a protocol error.
void invalid_arguments(std::string& out, const std::string& message) {
  append_result(out, {{"error", "Invalid arguments: " + message}});
}
}  // namespace

boost::asio::awaitable<std::string> Server::call_tool(const json::object& params, const json::value& id) {
  auto* n = params.if_contains("name");
  if (!n || !n->is_string()) throw RpcError{kInvalidParams, "tools/call needs name (a string)"};
  const Tool* tool = nullptr;
  for (const auto& t : tools_)
    if (t.name == n->as_string()) tool = &t;
  if (!tool) throw RpcError{kInvalidParams, "Unknown tool: " + std::string(n->as_string())};
  std::string out;
  response_head(out, json::serialize(id));
  std::size_t head = out.size();
  json::object no_args;
  const json::object* args = object_member(params, "arguments", no_args);
  if (!args) {
    invalid_arguments(out, "arguments must be an object");
    co_return out;
  }
  std::optional<std::string> invalid;
  try {
    if (tool->write_result) {
      co_await tool->write_result(*args, out);
    } else {
      json::object result = co_await tool->call(*args);
      append_result(out, result);
    }
    co_return out;
  } catch (const RpcError& e) {
    if (e.code != kInvalidParams) throw;
    invalid = e.message;
  }
  out.resize(head);
  invalid_arguments(out, *invalid);
  co_return out;
}

}  // namespace pp::mcp
