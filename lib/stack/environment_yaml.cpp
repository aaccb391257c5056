#include "stack/environment_yaml.hpp"

namespace pp::stack {

EnvMap read_environment(const YamlContext& cx, const YAML::Node& node, const std::string& path) {
  EnvMap env;
  auto check_name = [&](const YAML::Node& at, const std::string& name) {
    if (!valid_env_name(name)) cx.fail(at, "'" + name + "' in " + path + " is not a variable name (empty, or holds '=')");
  };
  if (node.IsSequence()) {
    for (const auto& item : node) {
      std::string entry = cx.string(item, "each entry of " + path);
      auto eq = entry.find('=');
      if (eq == std::string::npos) cx.fail(item, path + " entry '" + entry + "' must be KEY=VALUE");
      std::string name = entry.substr(0, eq);
      check_name(item, name);
      env[name] = entry.substr(eq + 1);
    }
    return env;
  }
  if (!node.IsMap()) cx.fail(node, path + " must be a map or a list of KEY=VALUE, not " + kind_of(node));
  YamlMap m(cx, node, path);
  for (const auto& e : m.entries()) {
    check_name(e.key_node, e.key);
    env[e.key] = e.value.IsNull() ? std::string() : cx.string(e.value, m.path_of(e.key));
  }
  return env;
}

void overlay(EnvMap& base, const EnvMap& over) {
  for (const auto& [k, v] : over) base[k] = v;
}

}  // namespace pp::stack
