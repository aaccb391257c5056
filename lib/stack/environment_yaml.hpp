// The `environment:` of a stack file (top level or a process): a map of
// KEY: value, or a list of "KEY=VALUE" strings as process-compose writes it.
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>

#include "stack/dotenv.hpp"
#include "stack/yaml_map.hpp"

namespace pp::stack {

// The variables `node` sets, later entries winning; `path` names it in messages.
// A map value that is null is the empty string; a list entry without '=' is an error.
EnvMap read_environment(const YamlContext& cx, const YAML::Node& node, const std::string& path);

// Lays `over` on `base`: its variables replace those of the same name.
void overlay(EnvMap& base, const EnvMap& over);

}  // namespace pp::stack
