// `.env` files, the format foreman, overmind and process-compose read
// (docs/stacks.md#env-files): KEY=VALUE lines, `#` comments, an optional
// `export `, values bare, 'single-quoted' (literal) or "double-quoted" (with
// \n \t \r \" \\ \$ escapes). No expansion of $VARS: a value is taken as written.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace pp::stack {

using EnvMap = std::map<std::string, std::string>;

// The variables of `text`, later lines winning. Throws StackError naming `file`
// and the line of anything else.
EnvMap parse_dotenv(std::string_view text, const std::filesystem::path& file);

// True when `name` can be an environment variable's name here: not empty, no '='
// and no NUL (what execve can pass on).
bool valid_env_name(std::string_view name);

}  // namespace pp::stack
