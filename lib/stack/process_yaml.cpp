#include "stack/process_yaml.hpp"

#include <climits>

#include "core/shell_words.hpp"
#include "stack/environment_yaml.hpp"
#include "stack/probe_yaml.hpp"
#include "stack/read_text.hpp"
#include "stack/signal_name.hpp"

namespace pp::stack {

std::string check_process_name(std::string_view name) {
  if (name.empty()) return "a process name is empty";
  for (unsigned char c : name)
    if (c == '/' || c == ' ' || c == '\t' || c < 0x20 || c == 0x7f)
      return "process name '" + std::string(name) + "' may not hold '/', blanks or control characters";
  return "";
}

namespace {

// Keys of process-compose that persistproc reads without acting on them: each is
// reported (Unsupported), never silently dropped and never an error.
const std::vector<std::string_view> kUnsupportedProcessKeys = {
    "name", "extends", "is_daemon", "log_location", "log_configuration", "liveness_probe",
    "disable_ansi_colors", "namespace", "replicas", "description", "vars", "is_foreground", "is_elevated",
    "is_interactive", "launch_timeout_seconds", "is_disabled", "schedule", "watch", "mcp", "truncate_log",
    "is_template_disabled", "monitor_for", "monitor_silence_threshold", "success_exit_codes", "original_config",
    "replica_num", "replica_name", "executable", "args"};

struct ProcessReader {
  const YamlContext& cx;
  const YAML::Node& key;
  const YamlMap& m;
  const StackDefaults& defaults;
  StackProcess& p;

  void command() {
    auto command = m.get("command");
    auto entrypoint = m.get("entrypoint");
    if (command && entrypoint) cx.fail(*entrypoint, m.path() + " sets both command and entrypoint: keep one");
    if (command) {
      p.command = cx.string(*command, m.path_of("command"));
      if (p.command.find_first_not_of(" \t\n") == std::string::npos) cx.fail(*command, m.path_of("command") + " is empty");
      p.argv = defaults.shell;
      p.argv.push_back(p.command);
    } else if (entrypoint) {
      std::string path = m.path_of("entrypoint");
      if (!entrypoint->IsSequence() || entrypoint->size() == 0)
        cx.fail(*entrypoint, path + " must be a list of at least one word, not " +
                                 (entrypoint->IsSequence() ? "an empty list" : kind_of(*entrypoint)));
      for (const auto& w : *entrypoint) p.argv.push_back(cx.string(w, "each word of " + path));
      if (p.argv[0].empty()) cx.fail(*entrypoint, path + " starts with an empty program");
      p.command = shell_join(p.argv);
    } else {
      cx.fail(key, m.path() + " needs a command");
    }
  }

  void working_dir() {
    p.working_dir = defaults.dir;
    if (auto wd = m.get("working_dir")) {
      std::string text = cx.string(*wd, m.path_of("working_dir"));
      if (text.empty()) cx.fail(*wd, m.path_of("working_dir") + " is empty");
      p.working_dir = (defaults.dir / text).lexically_normal();  // an absolute text replaces dir
    }
    if (!p.working_dir.has_filename() && p.working_dir != p.working_dir.root_path())
      p.working_dir = p.working_dir.parent_path();  // "a/b/" → "a/b"
  }

  // docs/stacks.md#environment: .env < top-level environment < env_file(s) < environment.
  void environment() {
    bool dotenv = true;
    if (auto off = m.get("is_dotenv_disabled")) dotenv = !cx.boolean(*off, m.path_of("is_dotenv_disabled"));
    if (dotenv) p.environment = defaults.dotenv;
    overlay(p.environment, defaults.environment);
    if (auto files = m.get("env_file")) {
      std::string path = m.path_of("env_file");
      std::vector<YAML::Node> items;
      if (files->IsSequence()) {
        for (const auto& f : *files) items.push_back(f);
      } else {
        items.push_back(*files);
      }
      for (const auto& item : items) {
        std::string name = cx.string(item, files->IsSequence() ? "each entry of " + path : path);
        if (name.empty()) cx.fail(item, path + " names an empty file");
        auto file = (p.working_dir / name).lexically_normal();
        auto text = read_text_if_present(file);
        if (!text) cx.fail(item, path + ": " + file.string() + " does not exist");
        overlay(p.environment, parse_dotenv(*text, file));
      }
    }
    if (auto env = m.get("environment")) overlay(p.environment, read_environment(cx, *env, m.path_of("environment")));
  }

  void depends_on() {
    auto deps = m.get("depends_on");
    if (!deps) return;
    std::string path = m.path_of("depends_on");
    if (deps->IsSequence()) {  // the short form: names, each process_started
      for (const auto& d : *deps)
        p.depends_on.push_back({cx.string(d, "each entry of " + path), Condition::started, line_of(d)});
      return;
    }
    if (!deps->IsMap()) cx.fail(*deps, path + " must be a map of name: {condition: ...}, not " + kind_of(*deps));
    YamlMap dm(cx, *deps, path);
    for (const auto& e : dm.entries()) {
      Dependency d{e.key, Condition::started, line_of(e.key_node)};
      if (!e.value.IsNull()) {
        YamlMap cm(cx, e.value, dm.path_of(e.key));
        cm.check_keys({"condition"}, {}, "", "");
        if (auto c = cm.get("condition")) d.condition = condition(*c, cm.path_of("condition"));
      }
      p.depends_on.push_back(std::move(d));
    }
  }

  Condition condition(const YAML::Node& v, const std::string& path) {
    std::string c = cx.string(v, path);
    if (c == "process_started") return Condition::started;
    if (c == "process_ready" || c == "process_healthy" || c == "process_log_ready") return Condition::ready;
    if (c == "process_completed") return Condition::completed;
    if (c == "process_completed_successfully") return Condition::completed_successfully;
    cx.fail(v, path + " '" + c +
                   "' is not a condition: process_started, process_ready (or process_healthy, process_log_ready), "
                   "process_completed or process_completed_successfully");
  }

  void ready_log_line() {
    auto v = m.get("ready_log_line");
    if (!v) return;
    std::string text = cx.string(*v, m.path_of("ready_log_line"));
    if (text.empty()) cx.fail(*v, m.path_of("ready_log_line") + " is empty");
    std::string error;
    p.ready_log_line = Pattern::compile(text, error);
    if (!p.ready_log_line) cx.fail(*v, m.path_of("ready_log_line") + ": " + error);
  }

  void availability() {
    auto v = m.get("availability");
    if (!v) return;
    YamlMap am(cx, *v, m.path_of("availability"));
    am.check_keys({"restart", "max_restarts", "backoff_seconds"}, {"exit_on_end", "exit_on_skipped"}, "availability.",
                  p.name);
    if (auto r = am.get("restart")) {
      std::string s = cx.string(*r, am.path_of("restart"));
      if (s == "no") p.availability.restart = Restart::no;
      else if (s == "on_failure" || s == "on-failure") p.availability.restart = Restart::on_failure;
      else if (s == "always") p.availability.restart = Restart::always;
      else cx.fail(*r, am.path_of("restart") + " '" + s + "' is not a policy: no, on_failure (or on-failure), always");
    }
    if (auto n = am.get("max_restarts"))
      p.availability.max_restarts = static_cast<int>(cx.integer(*n, am.path_of("max_restarts"), 0, INT_MAX));
    if (auto b = am.get("backoff_seconds")) p.availability.backoff_seconds = cx.number(*b, am.path_of("backoff_seconds"), 0);
  }

  void shutdown() {
    auto v = m.get("shutdown");
    if (!v) return;
    YamlMap sm(cx, *v, m.path_of("shutdown"));
    sm.check_keys({"signal", "timeout_seconds"}, {"command", "parent_only", "send_keys"}, "shutdown.", p.name);
    if (auto s = sm.get("signal")) {
      std::string text = cx.string(*s, sm.path_of("signal"));
      p.shutdown.signal = signal_from_text(text);
      if (!p.shutdown.signal)
        cx.fail(*s, sm.path_of("signal") + " '" + text + "' is not a signal (a name like TERM or INT, or 1 to 64)");
    }
    if (auto t = sm.get("timeout_seconds"))
      p.shutdown.timeout_seconds = static_cast<int>(cx.integer(*t, sm.path_of("timeout_seconds"), 0, INT_MAX));
  }

  void flags() {
    auto tty = m.get("tty");
    auto is_tty = m.get("is_tty");
    if (tty && is_tty) cx.fail(*is_tty, m.path() + " sets both tty and is_tty: keep one");
    if (tty) p.tty = cx.boolean(*tty, m.path_of("tty"));
    if (is_tty) p.tty = cx.boolean(*is_tty, m.path_of("is_tty"));
    if (auto d = m.get("disabled")) p.disabled = cx.boolean(*d, m.path_of("disabled"));
  }
};

}  // namespace

StackProcess read_process(const YamlContext& cx, const YAML::Node& key, const YAML::Node& value,
                          const StackDefaults& defaults) {
  StackProcess p;
  p.name = key.Scalar();
  p.line = line_of(key);
  if (auto bad = check_process_name(p.name); !bad.empty()) cx.fail(key, bad);
  std::string path = "processes." + p.name;
  if (value.IsNull()) cx.fail(key, path + " needs a command");
  YamlMap m(cx, value, path);
  m.check_keys({"command", "entrypoint", "working_dir", "environment", "env_file", "is_dotenv_disabled", "depends_on",
                "ready_log_line", "readiness_probe", "availability", "tty", "is_tty", "disabled", "shutdown"},
               kUnsupportedProcessKeys, "", p.name);
  ProcessReader r{cx, key, m, defaults, p};
  r.command();
  r.working_dir();
  r.environment();
  r.depends_on();
  r.ready_log_line();
  if (auto probe = m.get("readiness_probe")) {
    if (p.ready_log_line) cx.fail(*probe, path + " sets both ready_log_line and readiness_probe: keep one");
    p.readiness_probe = read_probe(cx, *probe, p.name, defaults.shell, p.working_dir);
  }
  r.availability();
  r.shutdown();
  r.flags();
  return p;
}

}  // namespace pp::stack
