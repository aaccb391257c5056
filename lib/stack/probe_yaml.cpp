#include "stack/probe_yaml.hpp"

#include <climits>

namespace pp::stack {

namespace {

ExecProbe read_exec(const YamlContext& cx, const YAML::Node& node, const std::string& path,
                    const std::vector<std::string>& shell, const std::filesystem::path& working_dir) {
  YamlMap m(cx, node, path);
  m.check_keys({"command", "working_dir"}, {}, "", "");
  ExecProbe e;
  auto command = m.get("command");
  if (!command) cx.fail(node, path + " needs a command");
  std::string text = cx.string(*command, m.path_of("command"));
  if (text.empty()) cx.fail(*command, m.path_of("command") + " is empty");
  e.argv = shell;
  e.argv.push_back(text);
  e.working_dir = working_dir;
  if (auto wd = m.get("working_dir"))
    e.working_dir = (working_dir / cx.string(*wd, m.path_of("working_dir"))).lexically_normal();
  return e;
}

HttpProbe read_http(const YamlContext& cx, const YAML::Node& node, const std::string& path, const std::string& process) {
  YamlMap m(cx, node, path);
  m.check_keys({"host", "port", "num_port", "path", "scheme"}, {"headers", "status_code"}, "readiness_probe.http_get.",
               process);
  HttpProbe h;
  if (auto host = m.get("host")) h.host = cx.string(*host, m.path_of("host"));
  if (h.host.empty()) cx.fail(node, m.path_of("host") + " is empty");
  if (auto p = m.get("path")) h.path = cx.string(*p, m.path_of("path"));
  if (!h.path.starts_with("/")) cx.fail(*m.get("path"), m.path_of("path") + " must start with '/', not '" + h.path + "'");
  if (auto scheme = m.get("scheme")) {
    std::string s = cx.string(*scheme, m.path_of("scheme"));
    if (s != "http") cx.fail(*scheme, m.path_of("scheme") + " '" + s + "' is not supported: probes speak plain http");
  }
  auto port = m.get("port");
  auto num_port = m.get("num_port");
  if (port && num_port) cx.fail(*num_port, path + " sets both port and num_port: keep one");
  const char* key = port ? "port" : "num_port";
  if (!port) port = num_port;
  if (!port) cx.fail(node, path + " needs a port");
  h.port = static_cast<int>(cx.integer(*port, m.path_of(key), 1, 65535));
  return h;
}

}  // namespace

Probe read_probe(const YamlContext& cx, const YAML::Node& node, const std::string& process,
                 const std::vector<std::string>& shell, const std::filesystem::path& working_dir) {
  std::string path = "processes." + process + ".readiness_probe";
  YamlMap m(cx, node, path);
  m.check_keys({"exec", "http_get", "initial_delay_seconds", "period_seconds", "timeout_seconds", "failure_threshold"},
               {"success_threshold"}, "readiness_probe.", process);
  Probe p;
  auto exec = m.get("exec");
  auto http = m.get("http_get");
  if (exec && http) cx.fail(*http, path + " sets both exec and http_get: keep one");
  if (!exec && !http) cx.fail(node, path + " needs exec or http_get");
  if (exec) p.exec = read_exec(cx, *exec, m.path_of("exec"), shell, working_dir);
  if (http) p.http_get = read_http(cx, *http, m.path_of("http_get"), process);
  auto seconds = [&](const char* key, int& out, long long min) {
    if (auto v = m.get(key)) out = static_cast<int>(cx.integer(*v, m.path_of(key), min, INT_MAX));
  };
  seconds("initial_delay_seconds", p.initial_delay_seconds, 0);
  seconds("period_seconds", p.period_seconds, 1);
  seconds("timeout_seconds", p.timeout_seconds, 1);
  seconds("failure_threshold", p.failure_threshold, 1);
  return p;
}

}  // namespace pp::stack
