#include "cli/command_line.hpp"

#include "cli/subcommands.hpp"
#include "core/env.hpp"
#include "core/units.hpp"
#include "core/version.hpp"

namespace pp::cli {

namespace {

// Every option that has an environment variable takes its default from it, before
// the options are declared: --help then shows it, and a flag still wins. The
// values were checked by env::check_all() before this runs.
void take_environment_defaults(CommandLine& cl) {
  using env::Var;
  GlobalOptions& g = cl.global;
  g.data_dir = env::get(Var::data_dir).value_or(default_data_dir());
  if (auto port = env::get(Var::port)) g.port = std::stoi(*port);
  g.format = env::get(Var::format).value_or(g.format);
  ServeArgs& s = cl.serve;
  s.no_auth = env::get(Var::no_auth) == "1";
  s.max_log_size = env::get(Var::max_log_size).value_or(s.max_log_size);
  s.log_retention = env::get(Var::log_retention).value_or(s.log_retention);
}

// What a subcommand does with the words after its options.
enum class Words {
  none,
  // A program or a process's name: every word from the first one that is not an
  // option on is kept, so `start ./tool --port 3000` passes --port to ./tool.
  kept,
};

CLI::App* add_subcommand(CommandLine& cl, const char* name, const char* description, Runner run, Words words) {
  CLI::App* sub = cl.app.add_subcommand(name, description);
  sub->prefix_command(words == Words::kept);
  cl.runners.emplace_back(sub, run);
  return sub;
}

// A check from core/units: CLI11 reports the problem it names.
CLI::Validator refusing(std::string (*problem)(std::string_view)) {
  return CLI::Validator([problem](std::string& v) { return problem(v); }, "");
}

void define_serve(CommandLine& cl) {
  ServeArgs& s = cl.serve;
  auto* serve =
      add_subcommand(cl, "serve", "Run the server (also what bare `persistproc` does)", serve_subcommand, Words::none);
  serve->add_flag("--detach", s.detach, "Start in the background; return once it is ready (or already running)");
  serve->add_flag("--restore", s.restore,
                  "Start again the processes a crashed server left running (they are stopped first, as always)");
  serve->add_flag("--no-auth,--no_auth", s.no_auth,
                  "Do not require the token (env PERSISTPROC_NO_AUTH=1); anyone who can reach the port can run "
                  "commands");
  serve
      ->add_option("--max-log-size,--max_log_size", s.max_log_size,
                   "Past this size a log file rotates to one .1 backup; bytes, or with K, M, G (KiB, MiB, GiB); "
                   "0: no cap (env PERSISTPROC_MAX_LOG_SIZE)")
      ->capture_default_str()
      ->type_name("SIZE")
      ->check(refusing(byte_size_problem));
  serve
      ->add_option("--log-retention,--log_retention", s.log_retention,
                   "Delete logs of processes no longer listed this long after their last write, at start-up and "
                   "daily: 7d, 12h, 30m, or a number of days; 0: never (env PERSISTPROC_LOG_RETENTION)")
      ->capture_default_str()
      ->type_name("DURATION")
      ->check(refusing(duration_problem));
}

void define_run(CommandLine& cl) {
  RunArgs& r = cl.run;
  auto* run = add_subcommand(cl, "run",
                             "Run a program in the server and show its output here: run [options] PROGRAM [ARGS...] "
                             "(implied: `persistproc npm run dev`)",
                             run_subcommand, Words::kept);
  run->add_flag("--fresh", r.options.fresh, "Stop a running instance first and start anew");
  run->add_option("--on-exit,--on_exit", r.on_exit,
                  "What Ctrl+C does: ask, stop or detach (ask without a terminal: detach)")
      ->capture_default_str()
      ->check(CLI::IsMember({"ask", "stop", "detach"}));
  run->add_flag("--raw", r.options.raw, "Show the combined log with time stamps and [SYSTEM] lines");
  auto* tty = run->add_flag("--tty", r.tty,
                            "Start the process on a pseudo-terminal even without one here (default: when stdin and "
                            "stdout are a terminal)");
  run->add_flag("--no-tty,--no_tty", r.no_tty, "Start the process on pipes even from a terminal")->excludes(tty);
  run->add_option("--label", r.label, "Attach to / start the process with this label");
}

CLI::Option* add_wd(CLI::App* sub, std::string& wd, const char* what) {
  return sub->add_option("--working-directory,--working_directory", wd, what);
}

void add_wait(CLI::App* sub, ToolRequest& req) {
  sub->add_option("--wait-for,--wait_for", req.wait_for,
                  "Return once an output line matches this regular expression (RE2); exit 1 if the process "
                  "exits first or the time is up");
  sub->add_option("--wait-timeout,--wait_timeout", req.wait_timeout, "Seconds to wait for --wait-for (default 30)")
      ->check(CLI::Range(0.0, 600.0));
}

void add_tty(CLI::App* sub, ToolRequest& req) {
  sub->add_flag("--tty", req.tty, "Run on a pseudo-terminal (output logged as plain text, raw in the .tty log)");
  sub->add_option("--columns", req.columns, "Terminal width with --tty (default 200)")->check(CLI::Range(1, 10000));
  sub->add_option("--rows", req.rows, "Terminal height with --tty (default 50)")->check(CLI::Range(1, 10000));
}

void add_restart_policy(CLI::App* sub, ToolRequest& req) {
  sub->add_option("--restart", req.restart,
                  "Restart it when it exits by itself: no (default), on-failure (non-zero exit or a signal), always; "
                  "a stop never restarts it")
      ->check(CLI::IsMember({"no", "on-failure", "on_failure", "always"}));
  sub->add_option("--max-restarts,--max_restarts", req.max_restarts,
                  "With --restart: restarts in a row before giving up (default 5; 0: no limit)")
      ->check(CLI::Range(0, 1000000));
  sub->add_option("--backoff", req.backoff,
                  "With --restart: seconds before the first restart (default 1), doubled for each restart in a row "
                  "up to 60")
      ->check(CLI::Range(0.0, 3600.0));
}

void define_start_stop_restart(CommandLine& cl) {
  ToolRequest& req = cl.tool;
  auto* start =
      add_subcommand(cl, "start", "Start a process: start [options] COMMAND [ARGS...]", tool_subcommand, Words::kept);
  add_wd(start, req.working_directory, "Working directory (default: the current one)");
  start->add_option("--environment", req.environment, "Extra environment as a JSON object of strings");
  start->add_option("--label", req.label, "Custom label (default: '<command> in <directory>')");
  add_wait(start, req);
  add_tty(start, req);
  add_restart_policy(start, req);

  auto* stop =
      add_subcommand(cl, "stop", "Stop a process: stop [options] TARGET [ARGS...]", tool_subcommand, Words::kept);
  stop->add_flag("--force", req.force, "SIGKILL at once instead of SIGTERM, wait, SIGKILL");
  add_wd(stop, req.working_directory, "Narrow a command match to this directory");

  auto* restart = add_subcommand(cl, "restart", "Restart a process: restart [options] TARGET [ARGS...]",
                                 tool_subcommand, Words::kept);
  add_wd(restart, req.working_directory, "Narrow a command match to this directory");
  add_wait(restart, req);

  auto* ctrl =
      add_subcommand(cl, "ctrl", "ctrl [options] start|stop|restart TARGET [ARGS...]", ctrl_subcommand, Words::kept);
  add_wd(ctrl, req.working_directory, "Working directory (start) or match narrowing (stop/restart)");
  ctrl->add_option("--environment", req.environment, "Extra environment as a JSON object of strings (start)");
  ctrl->add_flag("--force", req.force, "SIGKILL at once (stop)");
  ctrl->add_option("--label", req.label, "Custom label (start)");
  add_wait(ctrl, req);
  add_tty(ctrl, req);
  add_restart_policy(ctrl, req);

  auto* input = add_subcommand(cl, "input", "Type into a process: input [options] TARGET TEXT ($'r\\n' for keys)",
                               tool_subcommand, Words::kept);
  add_wd(input, req.working_directory, "Narrow a command match to this directory");
  add_wait(input, req);
}

void define_list_output_shutdown(CommandLine& cl) {
  ToolRequest& req = cl.tool;
  auto* list = add_subcommand(cl, "list", "List processes (alias: ls)", tool_subcommand, Words::none);
  list->alias("ls");
  list->add_option("--pid", req.pid, "Only this pid (0: the server itself)");
  list->add_option("--command-or-label,--command_or_label", req.command_or_label, "Only this label or command");
  add_wd(list, req.working_directory, "Only processes started in this directory");
  list->add_flag("-l,--long", req.long_form, "A paragraph per process (command, directory, note) instead of the table");

  auto* output =
      add_subcommand(cl, "output", "Show a process's output: output [options] TARGET [ARGS...] (alias: logs)",
                     tool_subcommand, Words::kept);
  output->alias("logs");
  output->add_option("--stream", req.stream, "stdout, stderr or combined")
      ->capture_default_str()
      ->check(CLI::IsMember({"stdout", "stderr", "combined"}));
  output->add_option("--lines", req.lines, "How many lines, from the end")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  output->add_option("--since-time,--since_time", req.since_time, "Only lines at or after this ISO-8601 time");
  output->add_option("--before-time,--before_time", req.before_time, "Only lines before this ISO-8601 time");
  output->add_option("--grep,--pattern", req.grep,
                     "Only lines matching this regular expression (RE2); --lines counts matches");
  output->add_flag("--raw", req.raw, "The raw terminal output of a --tty process (colours kept, no stamps)");
  output->add_flag("-f,--follow", req.follow,
                   "Then follow the log as it grows, across rotations and restarts, until Ctrl+C (exit 0) or the "
                   "process ends (its exit code)");
  add_wd(output, req.working_directory, "Narrow a command match to this directory");

  add_subcommand(cl, "shutdown", "Stop the server and every process it manages", shutdown_subcommand, Words::none);
}

// `--version` and `version`: one line, the version CMake's project() sets (as in the MCP serverInfo).
void define_version(CommandLine& cl) {
  cl.app.set_version_flag("--version", version_line(), "Print `persistproc X.Y.Z` and exit");
  add_subcommand(cl, "version", "Print `persistproc X.Y.Z`", version_subcommand, Words::none);
}

void define_completions(CommandLine& cl) {
  auto* sub = add_subcommand(cl, "completions",
                             "Print the completion script for a shell: completions bash|zsh|fish "
                             "(`source <(persistproc completions bash)`)",
                             completions_subcommand, Words::none);
  // Not required() here: the missing shell is the subcommand's usage error, so options
  // parse alike everywhere (test/cli/command_line_test.cpp).
  sub->add_option("shell", cl.completions_shell, "bash, zsh or fish")->check(CLI::IsMember({"bash", "zsh", "fish"}));
}

void define_mcp(CommandLine& cl) {
  auto* mcp = add_subcommand(cl, "mcp",
                             "An MCP server on stdin/stdout that bridges to the running server, for clients that "
                             "start servers as commands",
                             mcp_subcommand, Words::none);
  mcp->add_flag("--start", cl.mcp.start, "Start the server (serve --detach) when none answers on the port");
}

}  // namespace

std::string version_line() { return std::string("persistproc ") + kVersion; }

Runner CommandLine::runner_for(const CLI::App* subcommand) const {
  for (const auto& [sub, run] : runners)
    if (sub == subcommand) return run;
  return nullptr;
}

std::unique_ptr<CommandLine> define_command_line() {
  auto cl = std::make_unique<CommandLine>();
  take_environment_defaults(*cl);
  add_global_options(cl->app, cl->global);
  cl->app.require_subcommand(0, 1);
  define_serve(*cl);
  define_run(*cl);
  define_start_stop_restart(*cl);
  define_list_output_shutdown(*cl);
  define_mcp(*cl);
  define_version(*cl);
  define_completions(*cl);
  for (CLI::App* sub : cl->app.get_subcommands(nullptr)) add_global_options(*sub, cl->global);
  return cl;
}

}  // namespace pp::cli
