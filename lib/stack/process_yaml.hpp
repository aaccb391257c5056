// One entry of a stack file's `processes:` map, read into a StackProcess
// (docs/stacks.md#process-keys). Dependencies are read, not checked: that is
// stack_order's, which sees every process.
#pragma once
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "stack/dotenv.hpp"
#include "stack/stack_spec.hpp"
#include "stack/yaml_map.hpp"

namespace pp::stack {

// What every process of the stack starts from.
struct StackDefaults {
  std::filesystem::path dir;        // the stack file's directory, absolute
  std::vector<std::string> shell;   // {program, argument} a command runs through
  EnvMap dotenv;                    // the `.env` beside the file
  EnvMap environment;               // the top-level environment:
};

// Reads process `name` (its key node `key`, for the line) from `value`.
StackProcess read_process(const YamlContext& cx, const YAML::Node& key, const YAML::Node& value,
                          const StackDefaults& defaults);

// Checks a process name: not empty, no '/' (labels are <stack>/<name>), no
// whitespace or control characters. Returns what is wrong, or "".
std::string check_process_name(std::string_view name);

}  // namespace pp::stack
