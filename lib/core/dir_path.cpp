#include "core/dir_path.hpp"

#include <filesystem>

namespace pp {

std::string normalize_dir(const std::string& dir) {
  std::string n = std::filesystem::path(dir).lexically_normal().string();
  while (n.size() > 1 && n.back() == '/') n.pop_back();
  return n;
}

std::string absolute_dir(const std::string& dir) {
  return normalize_dir(std::filesystem::absolute(dir.empty() ? "." : dir).string());
}

}  // namespace pp
