// A process's `readiness_probe:` with process-compose's keys: `exec` (a command
// run through the stack's shell) or `http_get` (host, port, path), and its
// schedule (initial_delay_seconds, period_seconds, timeout_seconds,
// failure_threshold).
#pragma once
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "stack/stack_spec.hpp"
#include "stack/yaml_map.hpp"

namespace pp::stack {

// `process` names the process; `shell` is the stack's {shell, argument};
// `working_dir` the process's absolute directory, which a relative exec
// working_dir is resolved against.
Probe read_probe(const YamlContext& cx, const YAML::Node& node, const std::string& process,
                 const std::vector<std::string>& shell, const std::filesystem::path& working_dir);

}  // namespace pp::stack
