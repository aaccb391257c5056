#include "server/detach.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "client/call.hpp"
#include "core/eintr.hpp"
#include "core/posix_io.hpp"
#include "core/readiness.hpp"
#include "core/token.hpp"
#include "os/port_owner.hpp"
#include "server/banner.hpp"

namespace pp::server {

namespace {

// Is a persistproc server already answering there? Its pid, 0 for "yes but it
// refused our token", -1 for no.
int running_server_pid(const ServeOptions& opts) {
  if (opts.port == 0) return -1;
  // What /proc shows first: a holder we can see that is not persistproc will not answer MCP.
  auto holders = listening_pids(opts.port);
  bool ours = false;
  for (int pid : holders) ours = ours || process_exe_name(pid) == "persistproc";
  if (!holders.empty() && !ours) return -1;
  client::Endpoint endpoint{opts.port, client_token(opts.data_dir), std::chrono::seconds(5)};
  auto r = client::ask_server_pid(endpoint);
  if (r.kind == client::CallOutcome::unauthorized) return 0;
  return r.kind == client::CallOutcome::ok ? r.pid : -1;
}

}  // namespace

int serve_detached(const ServeOptions& opts) {
  if (int pid = running_server_pid(opts); pid >= 0) {
    std::fprintf(stderr, "persistproc: a server is already running on port %d%s\n", opts.port,
                 pid > 0 ? (" (PID " + std::to_string(pid) + ")").c_str() : " (it refused our token)");
    std::fputs(readiness_line("http://127.0.0.1:" + std::to_string(opts.port) + "/mcp/").c_str(), stdout);
    return 0;
  }
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    std::perror("persistproc: pipe");
    return 1;
  }
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("persistproc: fork");
    return 1;
  }
  if (pid == 0) {
    // GCOVR_EXCL_START  the forked server _exits, so gcov never writes its counts
    // The server: its own session, stdin from /dev/null, stdout and stderr into
    // the pipe until it is ready (serve() then points them at /dev/null).
    ::setsid();
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    ::dup2(p[1], 1);
    ::dup2(p[1], 2);
    ::close(p[0]);
    ::close(p[1]);
    ServeOptions child = opts;
    child.detached = true;
    int code = serve(child);
    std::fflush(nullptr);
    ::_exit(code);
    // GCOVR_EXCL_STOP
  }
  ::close(p[1]);
  std::string out;
  read_to_end(p[0], out);  // EOF: the server dropped its stdio (ready) or exited (failed)
  ::close(p[0]);
  if (readiness_port(out)) {
    std::fputs(out.c_str(), stdout);
    return 0;
  }
  int status = 0;
  retry_eintr([&] { return ::waitpid(pid, &status, 0); });
  std::fputs(out.c_str(), stderr);
  return WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : 1;
}

}  // namespace pp::server
