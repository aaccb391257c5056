#include "cli/entry.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/argv_rewrite.hpp"
#include "cli/global_options.hpp"
#include "cli/tool_commands.hpp"
#include "client/run_command.hpp"
#include "core/exit_codes.hpp"
#include "core/shell_words.hpp"
#include "core/token.hpp"
#include "core/units.hpp"
#include "server/detach.hpp"
#include "server/serve.hpp"

namespace pp::cli {

namespace {

// Global options are declared on the app and again on every subcommand (bound to
// the same variables) so they work before or after the subcommand. Environment
// values are applied beforehand as defaults, so a flag always wins.
void add_global_options(CLI::App& app, GlobalOptions& g) {
  app.add_option("--port", g.port, "Server port; 0 with serve picks a free one (env PERSISTPROC_PORT)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--data-dir", g.data_dir, "Where logs and server state live (env PERSISTPROC_DATA_DIR)")
      ->capture_default_str();
  app.add_flag("-v,--verbose", g.verbose, "More console output (repeatable)");
  app.add_flag("-q,--quiet", g.quiet, "Less console output");
  app.add_option("--format", g.format, "Output of client commands: text or json (env PERSISTPROC_FORMAT)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

void apply_environment(GlobalOptions& g) {
  if (const char* p = std::getenv("PERSISTPROC_PORT")) g.port = std::stoi(p);
  if (const char* d = std::getenv("PERSISTPROC_DATA_DIR")) g.data_dir = d;
  if (const char* f = std::getenv("PERSISTPROC_FORMAT")) g.format = f;
}

// Options of subcommands that take a value: needed to find where a `--` ends
// persistproc's own options (before the first positional word only).
bool takes_value(const std::string& a) {
  for (const char* o : {"--port", "--data-dir", "--format", "--working-directory", "--working_directory",
                        "--environment", "--label", "--pid", "--command-or-label", "--command_or_label", "--stream",
                        "--lines", "--since-time", "--since_time", "--before-time", "--before_time", "--on-exit",
                        "--on_exit", "--max-log-size", "--max_log_size", "--log-retention", "--log_retention"})
    if (a == o) return true;
  return false;
}

// Splits off what follows a `--` that comes before the subcommand's first positional word.
std::vector<std::string> split_dashdash(std::vector<std::string>& args) {
  bool seen_sub = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      std::vector<std::string> tail(args.begin() + static_cast<long>(i) + 1, args.end());
      args.resize(i);
      return tail;
    }
    if (!a.empty() && a[0] == '-') {
      if (takes_value(a)) ++i;
      continue;
    }
    if (seen_sub) break;  // first positional of the subcommand: the rest is the program's
    seen_sub = true;
  }
  return {};
}

CLI::Option* add_wd(CLI::App* sub, std::string& wd, const char* what) {
  return sub->add_option("--working-directory,--working_directory", wd, what);
}

}  // namespace

int run_main(int argc, char** argv) {
  if (std::string err = check_environment(); !err.empty()) {
    std::fprintf(stderr, "persistproc: %s\n", err.c_str());
    return kExitUsage;
  }
  std::vector<std::string> args = rewrite_argv(std::vector<std::string>(argv + 1, argv + argc));
  std::vector<std::string> after_dashdash = split_dashdash(args);

  CLI::App app{"persistproc: share long-running processes (dev servers, watchers, databases) with your coding "
               "agents over MCP.",
               "persistproc"};
  GlobalOptions g;
  g.data_dir = default_data_dir();
  apply_environment(g);
  add_global_options(app, g);
  app.require_subcommand(0, 1);

  ToolRequest req;

  auto* serve = app.add_subcommand("serve", "Run the server (also what bare `persistproc` does)");
  bool detach = false, no_auth = false, restore = false;
  serve->add_flag("--detach", detach, "Start in the background; return once it is ready (or already running)");
  serve->add_flag("--restore", restore,
                  "Start again the processes a crashed server left running (they are stopped first, as always)");
  serve->add_flag("--no-auth,--no_auth", no_auth,
                  "Do not require the token (env PERSISTPROC_NO_AUTH=1); anyone who can reach the port can run "
                  "commands");
  std::string max_log_size = env_or("PERSISTPROC_MAX_LOG_SIZE", "64M");
  std::string log_retention = env_or("PERSISTPROC_LOG_RETENTION", "7d");
  serve->add_option("--max-log-size,--max_log_size", max_log_size,
                    "Past this size a log file rotates to one .1 backup; bytes, or with K, M, G (KiB, MiB, GiB); "
                    "0: no cap (env PERSISTPROC_MAX_LOG_SIZE)")
      ->capture_default_str()
      ->type_name("SIZE")
      ->check(CLI::Validator([](std::string& v) {
        return parse_byte_size(v) ? std::string() : "'" + v + "' is not a size (try 64M, 512K, 1G or bytes)";
      }, ""));
  serve->add_option("--log-retention,--log_retention", log_retention,
                    "Delete logs of processes no longer listed this long after their last write, at start-up and "
                    "daily: 7d, 12h, 30m, or a number of days; 0: never (env PERSISTPROC_LOG_RETENTION)")
      ->capture_default_str()
      ->type_name("DURATION")
      ->check(CLI::Validator([](std::string& v) {
        return parse_duration(v) ? std::string() : "'" + v + "' is not a duration (try 7d, 12h, 30m or days)";
      }, ""));

  auto* run = app.add_subcommand("run", "Run a program in the server and show its output here: run [options] "
                                        "PROGRAM [ARGS...] (implied: `persistproc npm run dev`)");
  client::RunOptions run_opts;
  std::string on_exit = "ask";
  run->add_flag("--fresh", run_opts.fresh, "Stop a running instance first and start anew");
  run->add_option("--on-exit,--on_exit", on_exit, "What Ctrl+C does: ask, stop or detach (ask without a terminal: detach)")
      ->capture_default_str()
      ->check(CLI::IsMember({"ask", "stop", "detach"}));
  run->add_flag("--raw", run_opts.raw, "Show time stamps and [SYSTEM] lines");
  std::string run_label;
  run->add_option("--label", run_label, "Attach to / start the process with this label");

  auto* start = app.add_subcommand("start", "Start a process: start [options] COMMAND [ARGS...]");
  add_wd(start, req.working_directory, "Working directory (default: the current one)");
  start->add_option("--environment", req.environment, "Extra environment as a JSON object of strings");
  start->add_option("--label", req.label, "Custom label (default: '<command> in <directory>')");
  auto add_tty = [&req](CLI::App* sub) {
    sub->add_flag("--tty", req.tty, "Run on a pseudo-terminal (output logged as plain text, raw in the .tty log)");
    sub->add_option("--columns", req.columns, "Terminal width with --tty (default 200)")->check(CLI::Range(1, 10000));
    sub->add_option("--rows", req.rows, "Terminal height with --tty (default 50)")->check(CLI::Range(1, 10000));
  };
  add_tty(start);

  auto add_wait = [&req](CLI::App* sub) {
    sub->add_option("--wait-for,--wait_for", req.wait_for,
                    "Return once an output line matches this regular expression (RE2); exit 1 if the process "
                    "exits first or the time is up");
    sub->add_option("--wait-timeout,--wait_timeout", req.wait_timeout, "Seconds to wait for --wait-for (default 30)")
        ->check(CLI::Range(0.0, 600.0));
  };
  add_wait(start);

  auto* stop = app.add_subcommand("stop", "Stop a process: stop [options] TARGET [ARGS...]");
  stop->add_flag("--force", req.force, "SIGKILL at once instead of SIGTERM, wait, SIGKILL");
  add_wd(stop, req.working_directory, "Narrow a command match to this directory");

  auto* restart = app.add_subcommand("restart", "Restart a process: restart [options] TARGET [ARGS...]");
  add_wd(restart, req.working_directory, "Narrow a command match to this directory");
  add_wait(restart);

  auto* ctrl = app.add_subcommand("ctrl", "ctrl [options] start|stop|restart TARGET [ARGS...]");
  add_wd(ctrl, req.working_directory, "Working directory (start) or match narrowing (stop/restart)");
  ctrl->add_option("--environment", req.environment, "Extra environment as a JSON object of strings (start)");
  ctrl->add_flag("--force", req.force, "SIGKILL at once (stop)");
  ctrl->add_option("--label", req.label, "Custom label (start)");
  add_wait(ctrl);
  add_tty(ctrl);

  auto* input = app.add_subcommand("input", "Type into a process: input [options] TARGET TEXT ($'r\\n' for keys)");
  add_wd(input, req.working_directory, "Narrow a command match to this directory");
  add_wait(input);

  auto* list = app.add_subcommand("list", "List processes (alias: ls)");
  list->alias("ls");
  list->add_option("--pid", req.pid, "Only this pid (0: the server itself)");
  list->add_option("--command-or-label,--command_or_label", req.command_or_label, "Only this label or command");
  add_wd(list, req.working_directory, "Only processes started in this directory");

  auto* output = app.add_subcommand("output", "Show a process's output: output [options] TARGET [ARGS...]");
  output->add_option("--stream", req.stream, "stdout, stderr or combined")
      ->capture_default_str()
      ->check(CLI::IsMember({"stdout", "stderr", "combined"}));
  output->add_option("--lines", req.lines, "How many lines, from the end")->capture_default_str()->check(
      CLI::Range(0, 100000));
  output->add_option("--since-time,--since_time", req.since_time, "Only lines at or after this ISO-8601 time");
  output->add_option("--before-time,--before_time", req.before_time, "Only lines before this ISO-8601 time");
  output->add_option("--grep,--pattern", req.grep, "Only lines matching this regular expression (RE2); --lines counts matches");
  output->add_flag("--raw", req.raw, "The raw terminal output of a --tty process (colours kept, no stamps)");
  add_wd(output, req.working_directory, "Narrow a command match to this directory");

  auto* shutdown = app.add_subcommand("shutdown", "Stop the server and every process it manages");

  for (auto* sub : {serve, run, start, stop, restart, ctrl, list, output, input, shutdown}) add_global_options(*sub, g);
  for (auto* sub : {run, start, stop, restart, ctrl, output, input}) sub->prefix_command();

  std::reverse(args.begin(), args.end());  // CLI11 takes the vector back to front
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (serve->parsed()) {
    if (const char* v = std::getenv("PERSISTPROC_NO_AUTH"); v && std::string(v) == "1") no_auth = true;
    server::ServeOptions so{g.port, g.data_dir, g.verbose, g.quiet, no_auth, false};
    so.max_log_size = *parse_byte_size(max_log_size);  // checked while parsing
    so.log_retention = *parse_duration(log_retention);
    so.restore = restore;
    return detach ? server::serve_detached(so) : server::serve(so);
  }
  if (g.port == 0) {
    std::fprintf(stderr, "persistproc: --port 0 only makes sense with serve\n");
    return kExitUsage;
  }
  if (run->parsed()) {
    std::vector<std::string> words = run->remaining();
    if (!words.empty() && words[0].size() > 1 && words[0][0] == '-') {
      std::fprintf(stderr, "persistproc run: unknown option %s (put -- before a program that starts with -)\n",
                   words[0].c_str());
      return kExitUsage;
    }
    words.insert(words.end(), after_dashdash.begin(), after_dashdash.end());
    if (words.size() == 1 && words[0].find_first_of(" \t\n") != std::string::npos) {
      auto split = shell_split(words[0]);  // `persistproc run 'echo "a b"'`
      if (!split.error.empty() || split.words.empty()) {
        std::fprintf(stderr, "persistproc run: cannot split '%s': %s\n", words[0].c_str(), split.error.c_str());
        return kExitUsage;
      }
      words = split.words;
    }
    if (words.empty()) {
      std::fprintf(stderr, "persistproc run: needs a PROGRAM to run\n");
      return kExitUsage;
    }
    run_opts.port = g.port;
    run_opts.token = client_token(g.data_dir);
    run_opts.argv = std::move(words);
    run_opts.cwd = std::filesystem::current_path().string();
    if (!run_label.empty()) run_opts.label = run_label;
    run_opts.on_exit = on_exit == "stop" ? client::OnExit::stop : on_exit == "detach" ? client::OnExit::detach : client::OnExit::ask;
    return client::run_command(run_opts);
  }
  if (shutdown->parsed()) return shutdown_command(g);

  CLI::App* chosen = nullptr;
  for (auto* sub : {start, stop, restart, ctrl, list, output, input})
    if (sub->parsed()) chosen = sub;
  if (!chosen) return kExitUsage;
  req.command = chosen == list ? "list" : chosen->get_name();
  req.words = chosen->remaining();
  if (!req.words.empty() && req.words[0].size() > 1 && req.words[0][0] == '-') {
    // prefix_command() hands over an unknown option as if it were the command.
    std::fprintf(stderr, "persistproc %s: unknown option %s (put -- before a command that starts with -)\n",
                 req.command.c_str(), req.words[0].c_str());
    return kExitUsage;
  }
  // `ctrl stop --force web`: an option after the action would become part of the target's name.
  if (chosen == ctrl && req.words.size() > 1 && req.words[1].size() > 1 && req.words[1][0] == '-' &&
      req.words[1] != "--") {
    std::fprintf(stderr,
                 "persistproc ctrl: options go before the action: ctrl [options] %s TARGET (got %s after %s; put "
                 "-- before a command that starts with -)\n",
                 req.words[0].c_str(), req.words[1].c_str(), req.words[0].c_str());
    return kExitUsage;
  }
  req.words.insert(req.words.end(), after_dashdash.begin(), after_dashdash.end());
  return tool_command(g, req);
}

}  // namespace pp::cli
