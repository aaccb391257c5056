#include "cli/global_options.hpp"

#include "core/env.hpp"

namespace pp::cli {

std::string default_data_dir() {
  if (auto xdg = env::get_nonempty(env::Var::xdg_data_home)) return *xdg + "/persistproc";
  return env::get_nonempty(env::Var::home).value_or(".") + "/.local/share/persistproc";
}

}  // namespace pp::cli
