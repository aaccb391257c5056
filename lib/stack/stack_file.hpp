// Finding a stack file and loading it whole: the stack layer's entry point
// (docs/stacks.md). What `up` and `down` will read; nothing here starts anything.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "stack/stack_spec.hpp"

namespace pp::stack {

// The names looked for in a directory, in this order.
inline constexpr const char* kStackFileNames[] = {"persistproc.yaml", "persistproc.yml", "process-compose.yaml",
                                                  "process-compose.yml", "Procfile"};

struct FoundFile {
  std::filesystem::path file;  // absolute; empty on error
  Format format = Format::yaml;
  std::string error;
};

// `path` is a stack file, or a directory holding one of kStackFileNames. A file
// named *.yaml or *.yml is YAML; any other (Procfile, Procfile.dev) a Procfile.
// REQUIRES: `path` is absolute.
FoundFile find_stack_file(const std::filesystem::path& path);

struct LoadOptions {
  std::string name;  // the stack's name; empty: the file's `name:`, else its directory's name
};

struct LoadResult {
  std::optional<StackSpec> spec;  // set on success, with its order
  std::string error;              // else what is wrong, "<file>:<line>: ..." when it has a line
};

// Finds the file, reads it and the `.env` beside it, parses and checks it and
// orders its processes. Never throws for a bad file.
// REQUIRES: `path` is absolute.
LoadResult load_stack(const std::filesystem::path& path, const LoadOptions& options);

}  // namespace pp::stack
