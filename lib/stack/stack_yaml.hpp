// A YAML stack file, persistproc.yaml or process-compose.yaml (one schema,
// process-compose's spellings; docs/stacks.md#yaml): its top level — name,
// shell, environment, processes — read strictly (yaml_map.hpp).
#pragma once
#include <filesystem>
#include <string_view>

#include "stack/dotenv.hpp"
#include "stack/stack_spec.hpp"

namespace pp::stack {

// Parses `text`, read from `file` (absolute), with `dotenv` the `.env` beside it.
// The result has its processes, unsupported keys and, when the file sets
// `name:`, its name; not its order. Throws StackError.
StackSpec parse_stack_yaml(std::string_view text, const std::filesystem::path& file, const EnvMap& dotenv);

}  // namespace pp::stack
