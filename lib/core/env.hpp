// Every environment variable persistproc reads, in one table, and the one way to
// read them (docs/cli.md#global-options). A variable is named by `Var`, so none
// can be read without being listed here; the listed PERSISTPROC_* ones carry
// the check that makes a bad value a usage error before anything else runs.
#pragma once
#include <optional>
#include <string>

namespace pp::env {

enum class Var {
  // persistproc's own, each checked by check_all() (but the token, which is secret and free-form)
  port,
  format,
  data_dir,
  no_auth,
  max_log_size,
  log_retention,
  token,
  // where the data directory defaults to
  xdg_data_home,
  home,
  // systemd's readiness notification and socket activation (docs/service.md)
  notify_socket,
  listen_fds,
  listen_pid,
  // the terminal: the width `list` fits its table to, and colour off (no-color.org)
  columns,
  no_color,
};

const char* name(Var v);

// The value when the variable is set, else nullopt. An empty value counts as set.
std::optional<std::string> get(Var v);

// The value when set and not empty, else nullopt.
std::optional<std::string> get_nonempty(Var v);

// Checks every variable that has a check and is set, whether or not a flag will
// override it: the message for the first bad one (it names the variable), or "".
std::string check_all();

}  // namespace pp::env
