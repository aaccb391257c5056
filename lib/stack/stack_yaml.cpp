#include "stack/stack_yaml.hpp"

#include "stack/environment_yaml.hpp"
#include "stack/process_yaml.hpp"
#include "stack/stack_error.hpp"
#include "stack/yaml_map.hpp"

namespace pp::stack {

namespace {

int mark_line(const YAML::Mark& m) { return m.is_null() ? 0 : m.line + 1; }

// process-compose runs a command as `bash -c <command>` unless `shell:` says otherwise.
std::vector<std::string> read_shell(const YamlContext& cx, const YamlMap& top) {
  auto v = top.get("shell");
  if (!v) return {"bash", "-c"};
  YamlMap m(cx, *v, "shell");
  m.check_keys({"shell_command", "shell_argument"}, {"elevated_shell_command", "elevated_shell_argument"}, "shell.", "");
  auto command = m.get("shell_command");
  if (!command) cx.fail(*v, "shell needs shell_command");
  std::vector<std::string> shell{cx.string(*command, "shell.shell_command")};
  if (shell[0].empty()) cx.fail(*command, "shell.shell_command is empty");
  auto argument = m.get("shell_argument");
  shell.push_back(argument ? cx.string(*argument, "shell.shell_argument") : "-c");
  return shell;
}

StackSpec parse_root(const YAML::Node& root, const std::filesystem::path& file, const EnvMap& dotenv) {
  StackSpec spec;
  spec.file = file;
  spec.format = Format::yaml;
  YamlContext cx{file, &spec.unsupported};
  if (root.IsNull()) fail_at(file, 0, "the file is empty: it needs a processes: map");
  YamlMap top(cx, root, "");
  top.check_keys({"processes", "name", "shell", "environment"},
                 {"version", "log_location", "log_level", "log_length", "log_configuration", "log_format", "is_strict",
                  "vars", "disable_env_expansion", "is_tui_disabled", "extends", "env_cmds", "ordered_shutdown",
                  "mcp_server", "file_names", "env_file_names", "dot_env_vars"},
                 "", "");
  if (auto name = top.get("name")) spec.name = cx.string(*name, "name");
  StackDefaults defaults{file.parent_path(), read_shell(cx, top), dotenv, {}};
  if (auto env = top.get("environment")) defaults.environment = read_environment(cx, *env, "environment");
  auto processes = top.get("processes");
  if (!processes) fail_at(file, 0, "no processes: the file needs a processes: map");
  YamlMap pm(cx, *processes, "processes");
  if (pm.entries().empty()) cx.fail(*processes, "processes is empty");
  for (const auto& e : pm.entries()) spec.processes.push_back(read_process(cx, e.key_node, e.value, defaults));
  return spec;
}

}  // namespace

StackSpec parse_stack_yaml(std::string_view text, const std::filesystem::path& file, const EnvMap& dotenv) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    fail_at(file, mark_line(e.mark), "not valid YAML: " + e.msg);
  }
  try {
    return parse_root(root, file, dotenv);
  } catch (const YAML::Exception& e) {  // a conversion yaml-cpp refused; the checks should leave none
    fail_at(file, mark_line(e.mark), e.msg);
  }
}

}  // namespace pp::stack
