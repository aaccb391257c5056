#include "cli/global_options.hpp"

#include <CLI/CLI.hpp>

#include "core/env.hpp"

namespace pp::cli {

// capture_default_str(): --help shows the default, which the environment may have set.
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

std::string default_data_dir() {
  if (auto xdg = env::get_nonempty(env::Var::xdg_data_home)) return *xdg + "/persistproc";
  return env::get_nonempty(env::Var::home).value_or(".") + "/.local/share/persistproc";
}

}  // namespace pp::cli
