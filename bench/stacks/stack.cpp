#include "stacks/tool.hpp"

namespace pp::bench {

std::string Stack::command(const std::string& name) const {
  return ticker + " " + name + " " + dir + " " + std::to_string(period_us);
}

std::string Stack::command_after(const std::string& name, const std::string& file) const {
  return await_line + " " + file + " " + kDependency + " " + command(name);
}

}  // namespace pp::bench
