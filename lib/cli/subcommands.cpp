#include "cli/subcommands.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "cli/completions.hpp"
#include "client/call.hpp"
#include "client/stdio_bridge.hpp"

#include "core/exit_codes.hpp"
#include "core/shell_words.hpp"
#include "core/token.hpp"
#include "core/units.hpp"
#include "server/detach.hpp"
#include "server/serve.hpp"

namespace pp::cli {

namespace {

// `--port 0` picks a free port, which only a server can do.
bool refuse_port_zero(const GlobalOptions& g) {
  if (g.port != 0) return false;
  std::fprintf(stderr, "persistproc: --port 0 only makes sense with serve\n");
  return true;
}

// prefix_command() hands over an unknown option as if it were the first word of
// the program or target: refuse it, and say how to pass such a word on.
bool refuse_unknown_option(const Invocation& inv, const char* what) {
  const std::vector<std::string>& w = inv.words;
  if (w.empty() || w[0].size() < 2 || w[0][0] != '-') return false;
  std::fprintf(stderr, "persistproc %s: unknown option %s (put -- before a %s that starts with -)\n",
               inv.subcommand->get_name().c_str(), w[0].c_str(), what);
  return true;
}

// The words, then what followed `--`.
std::vector<std::string> all_words(const Invocation& inv) {
  std::vector<std::string> words = inv.words;
  words.insert(words.end(), inv.after_dashdash.begin(), inv.after_dashdash.end());
  return words;
}

client::OnExit on_exit(const std::string& s) {
  return s == "stop" ? client::OnExit::stop : s == "detach" ? client::OnExit::detach : client::OnExit::ask;
}

// start, stop, restart, ctrl, list, output: the subcommand's name is the request's.
int call_tool(CommandLine& cl, const Invocation& inv) {
  cl.tool.command = inv.subcommand->get_name();
  cl.tool.words = all_words(inv);
  return tool_command(cl.global, cl.tool);
}

}  // namespace

int serve_subcommand(CommandLine& cl, const Invocation&) {
  const GlobalOptions& g = cl.global;
  const ServeArgs& s = cl.serve;
  server::ServeOptions so{g.port, g.data_dir, g.verbose, g.quiet, s.no_auth, false};
  so.max_log_size = *parse_byte_size(s.max_log_size);  // checked while parsing
  so.log_retention = *parse_duration(s.log_retention);
  so.restore = s.restore;
  return s.detach ? server::serve_detached(so) : server::serve(so);
}

int run_subcommand(CommandLine& cl, const Invocation& inv) {
  if (refuse_port_zero(cl.global) || refuse_unknown_option(inv, "program")) return kExitUsage;
  std::vector<std::string> words = all_words(inv);
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
  client::RunOptions opts = cl.run.options;
  opts.port = cl.global.port;
  opts.token = client_token(cl.global.data_dir);
  opts.argv = std::move(words);
  opts.cwd = std::filesystem::current_path().string();
  if (!cl.run.label.empty()) opts.label = cl.run.label;
  opts.on_exit = on_exit(cl.run.on_exit);
  if (cl.run.tty || cl.run.no_tty) opts.tty = cl.run.tty;
  return client::run_command(opts);
}

int tool_subcommand(CommandLine& cl, const Invocation& inv) {
  if (refuse_port_zero(cl.global) || refuse_unknown_option(inv, "command")) return kExitUsage;
  return call_tool(cl, inv);
}

int ctrl_subcommand(CommandLine& cl, const Invocation& inv) {
  if (refuse_port_zero(cl.global) || refuse_unknown_option(inv, "command")) return kExitUsage;
  // `ctrl stop --force web`: an option after the action would become part of the target's name.
  const std::vector<std::string>& w = inv.words;
  if (w.size() > 1 && w[1].size() > 1 && w[1][0] == '-' && w[1] != "--") {
    std::fprintf(stderr,
                 "persistproc ctrl: options go before the action: ctrl [options] %s TARGET (got %s after %s; put "
                 "-- before a command that starts with -)\n",
                 w[0].c_str(), w[1].c_str(), w[0].c_str());
    return kExitUsage;
  }
  return call_tool(cl, inv);
}

int mcp_subcommand(CommandLine& cl, const Invocation&) {
  if (refuse_port_zero(cl.global)) return kExitUsage;
  client::Endpoint endpoint{cl.global.port, client_token(cl.global.data_dir)};
  if (cl.mcp.start && client::ask_server_pid(endpoint).kind == client::CallOutcome::no_server) {
    // stdout is the protocol: what serve --detach prints goes to stderr instead.
    int saved = ::dup(1);
    ::dup2(2, 1);
    server::ServeOptions so{cl.global.port, cl.global.data_dir, cl.global.verbose, true, false, false};
    int code = server::serve_detached(so);
    std::fflush(stdout);
    ::dup2(saved, 1);
    ::close(saved);
    if (code != kExitOk) return code;
    endpoint.token = client_token(cl.global.data_dir);  // a new server wrote it
  }
  return client::run_stdio_bridge({endpoint});
}

int shutdown_subcommand(CommandLine& cl, const Invocation&) {
  if (refuse_port_zero(cl.global)) return kExitUsage;
  return shutdown_command(cl.global);
}

int completions_subcommand(CommandLine& cl, const Invocation&) {
  if (cl.completions_shell.empty()) {
    std::fprintf(stderr, "persistproc completions: needs a shell: bash, zsh or fish\n");
    return kExitUsage;
  }
  std::fputs(completion_script(cl.app, cl.completions_shell).c_str(), stdout);
  return kExitOk;
}

int version_subcommand(CommandLine&, const Invocation&) {
  std::printf("%s\n", version_line().c_str());
  return kExitOk;
}

}  // namespace pp::cli
