// The ctrl tool's up and down actions (docs/mcp.md#stacks): a stack file brought
// up in dependency order, or a stack stopped in reverse.
#include <filesystem>

#include "mcp/args.hpp"
#include "mcp/tools.hpp"
#include "stack/stack_file.hpp"

namespace pp::mcp {

namespace {

constexpr double kDefaultUpSeconds = 120, kMaxUpSeconds = 3600;
constexpr std::uint64_t kFailedTail = 20;

json::object base(const std::string& action, const std::string& stack) {
  json::object r{{"action", action}, {"pid", nullptr},         {"exit_code", nullptr},    {"log_stdout", nullptr},
                 {"log_stderr", nullptr}, {"log_combined", nullptr}, {"log_tty", nullptr}, {"label", nullptr},
                 {"error", nullptr}};
  r["stack"] = stack.empty() ? json::value(nullptr) : json::value(stack);
  r["processes"] = json::array{};
  return r;
}

json::object member_entry(const std::string& name, const Process* p) {
  json::object e{{"name", name}};
  e["label"] = p ? json::value(p->spec().label) : json::value(nullptr);
  e["pid"] = p ? json::value(p->pid()) : json::value(nullptr);
  e["status"] = p ? json::value(to_string(p->status())) : json::value(nullptr);
  e["exit_code"] = p ? nullable(p->exit_code()) : json::value(nullptr);
  e["ready"] = p && p->ready();
  e["ready_ms"] = p && p->ready_ms() ? json::value(*p->ready_ms()) : json::value(nullptr);
  e["log_combined"] = p ? json::value(p->logs().combined_path) : json::value(nullptr);
  return e;
}

const char* how_text(stack::MemberResult::How h) {
  switch (h) {
    case stack::MemberResult::started: return "started";
    case stack::MemberResult::attached: return "attached";
    case stack::MemberResult::not_started: break;
  }
  return "not started";
}

// An absolute path, or an invalid-arguments error.
std::filesystem::path absolute_file(const std::string& file) {
  std::filesystem::path p(file);
  if (file.empty() || !p.is_absolute())
    throw RpcError{kInvalidParams, "'file' must be an absolute path to a stack file or its directory"};
  return p.lexically_normal();
}

boost::asio::awaitable<json::object> up(stack::Stacks& stacks, const Args& a) {
  auto file = a.str("file");
  if (!file) throw RpcError{kInvalidParams, "up needs 'file' (an absolute path to a stack file or its directory)"};
  auto path = absolute_file(*file);
  double seconds = a.number("wait_timeout", 0, kMaxUpSeconds).value_or(kDefaultUpSeconds);
  stack::LoadResult loaded = stack::load_stack(path, {a.str("name").value_or("")});
  if (!loaded.spec) {
    json::object r = base("up", "");
    r["error"] = loaded.error;
    co_return r;
  }
  json::array warnings;
  for (auto& w : loaded.spec->warnings()) warnings.emplace_back(w);
  std::string stack_file = loaded.spec->file.string();
  stack::UpOptions o;
  o.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  o.fresh = a.boolean("fresh").value_or(false);
  stack::UpResult u = co_await stacks.up(stack::plan_of(*loaded.spec), o);

  json::object r = base("up", u.stack);
  r["file"] = stack_file;
  r["warnings"] = std::move(warnings);
  json::array& procs = r["processes"].as_array();
  for (const auto& m : u.members) {
    json::object e = member_entry(m.name, m.process.get());
    e["start"] = how_text(m.how);
    procs.push_back(std::move(e));
  }
  r["failed"] = u.failed.empty() ? json::value(nullptr) : json::value(u.failed);
  if (!u.error.empty()) {
    r["error"] = u.error;
    for (const auto& m : u.members)
      if (m.name == u.failed && m.process) r["output"] = combined_tail(*m.process, kFailedTail);
  }
  co_return r;
}

boost::asio::awaitable<json::object> down(stack::Stacks& stacks, const Args& a) {
  auto name = a.str("name");
  auto file = a.str("file");
  if (a.boolean("fresh") || a.number("wait_timeout", 0, kMaxUpSeconds))
    throw RpcError{kInvalidParams, "'fresh' and 'wait_timeout' go with up only"};
  if (!name && !file)
    throw RpcError{kInvalidParams, "down needs 'file' (the stack file or its directory) or 'name' (the stack's)"};
  if (!name) {
    stack::LoadResult loaded = stack::load_stack(absolute_file(*file), {});
    if (!loaded.spec) {
      json::object r = base("down", "");
      r["error"] = loaded.error;
      co_return r;
    }
    name = loaded.spec->name;
  }
  stack::DownResult d = co_await stacks.down(*name);
  json::object r = base("down", d.stack);
  json::array& procs = r["processes"].as_array();
  for (const auto& p : d.stopped) procs.push_back(member_entry(p->spec().member.name, p.get()));
  if (!d.error.empty()) r["error"] = d.error;
  co_return r;
}

}  // namespace

boost::asio::awaitable<json::object> ctrl_stack(stack::Stacks& stacks, const std::string& action,
                                                const json::object& args) {
  Args a(args);
  a.only({"action", "file", "name", "fresh", "wait_timeout"});
  if (action == "up") co_return co_await up(stacks, a);
  co_return co_await down(stacks, a);
}

}  // namespace pp::mcp
