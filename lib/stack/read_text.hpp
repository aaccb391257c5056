// Reading one of a stack's files whole: the stack file, `.env`, an env_file.
// The only I/O of the stack layer.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace pp::stack {

// The file's bytes, or nullopt when it does not exist. Throws StackError when it
// exists but cannot be read (a directory, no permission), quoting the reason.
std::optional<std::string> read_text_if_present(const std::filesystem::path& file);

// Like read_text_if_present, but a missing file is a StackError too, saying
// "<file>: <what> does not exist" (what: "stack file", ...).
std::string read_text(const std::filesystem::path& file, const std::string& what);

}  // namespace pp::stack
