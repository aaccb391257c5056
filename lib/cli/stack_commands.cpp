// `persistproc up` and `down` (docs/stacks.md): the file is found and checked
// here first, so a mistake in it is reported before anything is asked of the
// server, which then reads it again and does the work (ctrl up/down).
#include <cstdio>
#include <filesystem>

#include "cli/subcommands.hpp"
#include "client/stack_lines.hpp"
#include "client/up_command.hpp"
#include "core/exit_codes.hpp"
#include "core/token.hpp"
#include "stack/stack_file.hpp"

namespace pp::cli {

namespace json = boost::json;

namespace {

std::filesystem::path absolute_path(const std::string& file) {
  return std::filesystem::absolute(file.empty() ? std::filesystem::current_path() : std::filesystem::path(file))
      .lexically_normal();
}

client::Endpoint endpoint_with(const GlobalOptions& g, std::chrono::seconds extra) {
  client::Endpoint ep{g.port, client_token(g.data_dir)};
  ep.timeout += extra;
  return ep;
}

}  // namespace

int up_subcommand(CommandLine& cl, const Invocation&) {
  const StackArgs& a = cl.stack;
  if (cl.global.port == 0) {
    std::fprintf(stderr, "persistproc: --port 0 only makes sense with serve\n");
    return kExitUsage;
  }
  auto path = absolute_path(a.file);
  stack::LoadResult loaded = stack::load_stack(path, {a.name});
  if (!loaded.spec) {
    std::fprintf(stderr, "persistproc up: %s\n", loaded.error.c_str());
    return kExitFailed;
  }
  for (const auto& w : loaded.spec->warnings()) std::fprintf(stderr, "persistproc up: warning: %s\n", w.c_str());

  client::UpViewOptions o;
  double seconds = a.timeout.value_or(120);
  o.endpoint = endpoint_with(cl.global, std::chrono::seconds(static_cast<int>(seconds) + 1));
  o.up_args = {{"action", "up"}, {"file", loaded.spec->file.string()}, {"wait_timeout", seconds}};
  if (!a.name.empty()) o.up_args["name"] = a.name;
  if (a.fresh) o.up_args["fresh"] = true;
  o.stack = loaded.spec->name;
  o.names = loaded.spec->order;
  o.detach = a.detach;
  o.color = !a.detach && client::colour_stdout();
  o.on_exit = a.on_exit == "stop"     ? client::OnExit::stop
              : a.on_exit == "detach" ? client::OnExit::detach
                                      : client::OnExit::ask;
  return client::up_command(o);
}

int down_subcommand(CommandLine& cl, const Invocation&) {
  const StackArgs& a = cl.stack;
  if (cl.global.port == 0) {
    std::fprintf(stderr, "persistproc: --port 0 only makes sense with serve\n");
    return kExitUsage;
  }
  json::object args{{"action", "down"}};
  if (!a.name.empty() && !a.file.empty()) {
    std::fprintf(stderr, "persistproc down: give a FILE or --name, not both\n");
    return kExitUsage;
  }
  if (!a.name.empty())
    args["name"] = a.name;
  else
    args["file"] = absolute_path(a.file).string();
  // Each stop may take its grace period, one after another along the dependencies.
  return client::down_command(endpoint_with(cl.global, std::chrono::seconds(600)), args, cl.global.format == "json");
}

}  // namespace pp::cli
