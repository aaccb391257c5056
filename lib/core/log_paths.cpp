#include "core/log_paths.hpp"

#include "core/shell_words.hpp"

namespace pp {

std::string escape_command(const std::string& line) {
  std::string out;
  bool in_space = false;
  for (char c : line) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    if (space) {
      if (!in_space) out.push_back('_');
      in_space = true;
      continue;
    }
    in_space = false;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
      out.push_back(c);
  }
  if (out.size() > 50) out.resize(50);
  return out;
}

LogPaths log_paths_for(const std::string& dir, int pid, const std::vector<std::string>& command) {
  std::string base = dir + "/" + std::to_string(pid) + "." + escape_command(shell_join(command));
  return {base + ".stdout", base + ".stderr", base + ".combined"};
}

}  // namespace pp
