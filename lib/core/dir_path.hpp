// One spelling per directory, so a process started in "/a/b/" is found by "/a/b".
#pragma once
#include <string>

namespace pp {

// Lexically normal, no trailing slash (except "/" itself).
std::string normalize_dir(const std::string& dir);
// The same, made absolute against the current directory first ("" means ".").
std::string absolute_dir(const std::string& dir);

}  // namespace pp
