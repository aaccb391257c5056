// The `ctrl` tool: start, stop or restart a managed process.
#include "core/shell_words.hpp"
#include "mcp/args.hpp"
#include "mcp/tools.hpp"

namespace pp::mcp {

namespace {

json::object ctrl_result(const std::string& action, const CtrlOutcome& r) {
  const Instance* p = r.instance.get();
  // A stop reports the stopped process; start/restart report the new one.
  bool show_logs = p && r.error.empty();
  return {
      {"action", action},
      {"pid", p ? json::value(p->pid()) : json::value(nullptr)},
      {"exit_code", nullable(r.exit_code)},
      {"log_stdout", show_logs ? json::value(p->logs().stdout_path) : json::value(nullptr)},
      {"log_stderr", show_logs ? json::value(p->logs().stderr_path) : json::value(nullptr)},
      {"log_combined", show_logs ? json::value(p->logs().combined_path) : json::value(nullptr)},
      {"label", p ? json::value(p->spec().label) : json::value(nullptr)},
      {"error", r.error.empty() ? json::value(nullptr) : json::value(r.error)},
  };
}

}  // namespace

Tool make_ctrl_tool(Supervisor& sup) {
  Tool t;
  t.name = "ctrl";
  t.description =
      "Start, stop or restart a long-running process (dev server, watcher, database).\n"
      "start: command_or_label is the command line (shell-split), working_directory is required, "
      "environment (object of strings) is laid over the server's environment, label is optional "
      "(default '<command> in <working_directory>').\n"
      "stop: SIGTERM to the process group, SIGKILL after 8 s; force=true sends SIGKILL at once.\n"
      "restart: stop, then start again with the same command, directory, environment and label.\n"
      "Identify the process for stop/restart by pid, or by label or command (plus working_directory "
      "when several match).\n"
      "Example: {\"action\": \"start\", \"command_or_label\": \"npm run dev\", \"working_directory\": \"/home/me/app\"}";
  json::object props;
  props["action"] = {{"type", "string"}, {"enum", json::array{"start", "stop", "restart"}}};
  add_target_properties(props);
  props["environment"] = {{"type", json::array{"object", "null"}},
                          {"additionalProperties", {{"type", "string"}}},
                          {"description", "Extra environment variables for start."}};
  props["force"] = {{"type", json::array{"boolean", "null"}}, {"default", false},
                    {"description", "stop: SIGKILL at once instead of SIGTERM first."}};
  props["label"] = {{"type", json::array{"string", "null"}}, {"description", "Custom label for start."}};
  t.input_schema = {{"type", "object"}, {"properties", std::move(props)}, {"required", json::array{"action"}}};

  json::object out;
  out["action"] = {{"type", "string"}};
  out["pid"] = nullable_type("integer");
  out["exit_code"] = nullable_type("integer");
  for (const char* k : {"log_stdout", "log_stderr", "log_combined", "label", "error"}) out[k] = nullable_type("string");
  t.output_schema = {{"type", "object"},
                     {"properties", std::move(out)},
                     {"required", json::array{"action", "pid", "exit_code", "log_stdout", "log_stderr",
                                              "log_combined", "label", "error"}}};

  t.call = [&sup](const json::object& o) -> boost::asio::awaitable<json::object> {
    Args a(o);
    a.only({"action", "pid", "command_or_label", "working_directory", "environment", "force", "label"});
    auto action = a.str("action");
    if (!action || (*action != "start" && *action != "stop" && *action != "restart"))
      throw RpcError{kInvalidParams, "'action' must be one of start, stop, restart"};
    Target target = read_target(o);
    auto env = a.string_map("environment");
    bool force = a.boolean("force").value_or(false);
    auto label = a.str("label");

    if (*action == "start") {
      if (!target.command_or_label || target.command_or_label->empty())
        co_return ctrl_result(*action, {nullptr, std::nullopt, "start needs command_or_label (the command line)."});
      if (!target.working_directory || target.working_directory->empty())
        co_return ctrl_result(*action, {nullptr, std::nullopt, "start needs working_directory (an absolute path)."});
      auto split = shell_split(*target.command_or_label);
      if (!split.error.empty() || split.words.empty())
        co_return ctrl_result(*action, {nullptr, std::nullopt,
                                        "Cannot parse command '" + *target.command_or_label + "': " +
                                            (split.error.empty() ? "empty" : split.error) + "."});
      ProcessSpec spec{split.words, *target.working_directory, env.value_or(EnvOverlay{}), label.value_or("")};
      co_return ctrl_result(*action, sup.start(std::move(spec)));
    }
    if (*action == "stop") co_return ctrl_result(*action, co_await sup.stop(target, force));
    co_return ctrl_result(*action, co_await sup.restart(target));
  };
  return t;
}

}  // namespace pp::mcp
