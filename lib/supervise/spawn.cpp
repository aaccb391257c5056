#include "supervise/spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/readable_pipe.hpp>
#include <boost/asio/writable_pipe.hpp>
#include <boost/process/v2/stdio.hpp>
#include <cstring>

#include "os/cgroup.hpp"
#include "os/close_fds.hpp"
#include "os/pty.hpp"

extern char** environ;

namespace pp {

namespace bp = boost::process::v2;

namespace {

rlimit child_nofile{};
bool have_child_nofile = false;

bool is_exec_file(const std::string& p, bool& denied) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  if (::access(p.c_str(), X_OK) != 0) {
    denied = true;
    return false;
  }
  return true;
}

// Runs in the child between fork and exec: own session (so signals reach the whole
// tree), the caller's working directory, default signal state. Also swaps in our
// argv (argv[0] as the user wrote it) and environment before the fork.
struct ChildSetup {
  const std::string& cwd;
  bool tty;
  int cgroup_procs;
  const char* const* argv;
  const char* const* envp;

  bp::error_code on_setup(bp::posix::default_launcher& launcher, const bp::filesystem::path&,
                          const char* const*(&cmd_line)) {
    cmd_line = argv;
    launcher.env = envp;
    return {};
  }

  bp::error_code on_exec_setup(bp::posix::default_launcher&, const bp::filesystem::path&, const char* const*) {
    // GCOVR_EXCL_START  the forked child
    // Into its cgroup first, so all it ever forks is there (the parent checks it got in).
    if (cgroup_procs >= 0) os::enter_cgroup(cgroup_procs);
    if (::setsid() < 0) return {errno, bp::system_category()};
    // Stdio is dup2()ed already (the stdio initializer runs first): on a tty, fd 0
    // is the slave, which becomes the new session's controlling terminal.
    if (tty && os::make_controlling_terminal(0) < 0) return {errno, bp::system_category()};
    if (::chdir(cwd.c_str()) < 0) return {errno, bp::system_category()};
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) ::signal(s, SIG_DFL);
    // The child inherits only its stdio: not the server's listening socket (a child
    // that outlives a crashed server would hold its port), client connections, or
    // other children's pipes. After the stdio dup2()s; the launcher's own error
    // pipe is close-on-exec already, so marking beats closing.
    os::mark_fds_cloexec_from_3();
    if (have_child_nofile) ::setrlimit(RLIMIT_NOFILE, &child_nofile);
    return {};
    // GCOVR_EXCL_STOP
  }
};

std::string launch_error(const bp::error_code& ec, const std::string& program) {
  if (ec == std::errc::permission_denied) return "Permission denied: " + program;
  return "Cannot start " + program + ": " + ec.message();
}

}  // namespace

void keep_fd_limit_for_children() { have_child_nofile = ::getrlimit(RLIMIT_NOFILE, &child_nofile) == 0; }

std::string resolve_program(const std::string& program, const std::string& cwd, const std::string& path_var,
                            bool& denied) {
  denied = false;
  if (program.empty()) return "";
  if (program.find('/') != std::string::npos) {
    std::string p = program[0] == '/' ? program : cwd + "/" + program;
    return is_exec_file(p, denied) ? p : "";
  }
  std::string_view rest = path_var;
  while (true) {
    auto colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    if (dir.empty()) dir = ".";
    if (dir[0] != '/') dir = cwd + "/" + dir;
    std::string p = dir + "/" + program;
    if (is_exec_file(p, denied)) return p;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return "";
}

SpawnOutcome spawn_child(const boost::asio::any_io_executor& ex, const SpawnRequest& req) {
  SpawnOutcome out;
  if (req.argv.empty() || req.argv[0].empty()) {
    out.error = "Empty command";
    return out;
  }
  struct stat st {};
  if (req.cwd.empty() || req.cwd[0] != '/') {
    out.error = "Working directory must be an absolute path: " + req.cwd;
    return out;
  }
  if (::stat(req.cwd.c_str(), &st) != 0) {
    out.error = "Working directory does not exist: " + req.cwd;
    return out;
  }
  if (!S_ISDIR(st.st_mode)) {
    out.error = "Working directory is not a directory: " + req.cwd;
    return out;
  }

  // Environment: the server's own, overlaid by the request.
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq) env[std::string(*e, static_cast<std::size_t>(eq - *e))] = eq + 1;
  }
  if (req.tty) env["TERM"] = "xterm-256color";  // what the terminal is; the request may say otherwise
  for (const auto& [k, v] : req.env) env[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<const char*> envp;
  for (const auto& s : env_strings) envp.push_back(s.c_str());
  envp.push_back(nullptr);

  auto path_it = env.find("PATH");
  bool denied = false;
  std::string exe = resolve_program(req.argv[0], req.cwd,
                                    path_it != env.end() ? path_it->second : "/usr/local/bin:/usr/bin:/bin", denied);
  if (exe.empty()) {
    out.error = (denied ? "Permission denied: " : "Command not found: ") + req.argv[0];
    return out;
  }

  std::vector<const char*> argv;
  for (const auto& a : req.argv) argv.push_back(a.c_str());
  argv.push_back(nullptr);

  // Flush our own stdio first: a failed exec exits the forked child through exit().
  std::fflush(nullptr);
  ChildSetup setup{req.cwd, req.tty, req.cgroup_procs, argv.data(), envp.data()};
  bp::error_code ec;
  using boost::asio::posix::stream_descriptor;
  if (req.tty) {
    std::string err;
    os::PtyPair pty = os::open_pty(req.columns, req.rows, err);
    if (!pty.master) {
      out.error = err;
      return out;
    }
    int s = pty.slave.get();
    bp::posix::default_launcher launcher;
    bp::process proc = launcher(ex, ec, exe, std::vector<std::string>{}, bp::process_stdio{s, s, s}, setup);
    if (ec) {
      out.error = launch_error(ec, req.argv[0]);
      return out;
    }
    // The slave closes here: once the child's group has closed it too, reading the
    // master ends (EIO) and the stream is complete.
    // Writing, reading and resizing each get their own descriptor of the master, so
    // closing the input at a stop leaves the reading alone. (A failed dup: no input.)
    int in = ::fcntl(pty.master.get(), F_DUPFD_CLOEXEC, 3);
    UniqueFd control(::fcntl(pty.master.get(), F_DUPFD_CLOEXEC, 3));
    out.child = std::unique_ptr<Spawned>(new Spawned{std::move(proc),
                                                     in >= 0 ? stream_descriptor(ex, in) : stream_descriptor(ex),
                                                     stream_descriptor(ex, pty.master.release()),
                                                     stream_descriptor(ex), std::move(control)});
    return out;
  }
  if (req.null_stdio) {
    bp::posix::default_launcher launcher;
    bp::process proc = launcher(ex, ec, exe, std::vector<std::string>{}, bp::process_stdio{nullptr, nullptr, nullptr}, setup);
    if (ec) {
      out.error = launch_error(ec, req.argv[0]);
      return out;
    }
    out.child = std::unique_ptr<Spawned>(
        new Spawned{std::move(proc), stream_descriptor(ex), stream_descriptor(ex), stream_descriptor(ex), UniqueFd()});
    return out;
  }
  // Stdin is a pipe whose write end the server keeps open for the life of the child:
  // programs that end at end of input (watchers) keep running (InputFeed).
  boost::asio::writable_pipe win(ex);
  boost::asio::readable_pipe rout(ex), rerr(ex);
  bp::posix::default_launcher launcher;
  bp::process proc = launcher(ex, ec, exe, std::vector<std::string>{}, bp::process_stdio{win, rout, rerr}, setup);
  if (ec) {
    out.error = launch_error(ec, req.argv[0]);
    return out;
  }
  // OutputPump and InputFeed make their descriptors non-blocking themselves.
  int fds[3] = {win.release(), rout.release(), rerr.release()};
  out.child = std::unique_ptr<Spawned>(new Spawned{std::move(proc), stream_descriptor(ex, fds[0]),
                                                   stream_descriptor(ex, fds[1]), stream_descriptor(ex, fds[2]),
                                                   UniqueFd()});
  return out;
}

}  // namespace pp
