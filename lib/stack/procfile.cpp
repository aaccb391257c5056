#include "stack/procfile.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "stack/process_yaml.hpp"
#include "stack/stack_error.hpp"

namespace pp::stack {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int base_port(const EnvMap& dotenv) {
  auto it = dotenv.find("PORT");
  if (it == dotenv.end()) return kDefaultBasePort;
  int port = 0;
  const std::string& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  return ec == std::errc{} && end == s.data() + s.size() && port >= 1 && port <= 65535 ? port : kDefaultBasePort;
}

}  // namespace

StackSpec parse_procfile(std::string_view text, const std::filesystem::path& file, const EnvMap& dotenv) {
  StackSpec spec;
  spec.file = file;
  spec.format = Format::procfile;
  int port = base_port(dotenv);
  int n = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view s = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++n;
    if (s.empty() || s.front() == '#') continue;
    auto colon = s.find(':');
    if (colon == std::string_view::npos) fail_at(file, n, "expected 'name: command', not '" + std::string(s) + "'");
    StackProcess p;
    p.name = std::string(trim(s.substr(0, colon)));
    p.command = std::string(trim(s.substr(colon + 1)));
    p.line = n;
    if (auto bad = check_process_name(p.name); !bad.empty()) fail_at(file, n, bad);
    if (p.command.empty()) fail_at(file, n, "process '" + p.name + "' has no command");
    auto same = std::find_if(spec.processes.begin(), spec.processes.end(), [&](const auto& q) { return q.name == p.name; });
    if (same != spec.processes.end())
      fail_at(file, n, "process '" + p.name + "' is defined twice (also on line " + std::to_string(same->line) + ")");
    if (port > 65535) fail_at(file, n, "process '" + p.name + "' would get PORT " + std::to_string(port) + ", past 65535");
    p.argv = {"/bin/sh", "-c", p.command};
    p.working_dir = file.parent_path();
    p.environment = dotenv;
    p.environment["PORT"] = std::to_string(port);
    port += kPortStep;
    spec.processes.push_back(std::move(p));
  }
  if (spec.processes.empty()) fail_at(file, 0, "the file is empty: it needs a 'name: command' line");
  return spec;
}

}  // namespace pp::stack
