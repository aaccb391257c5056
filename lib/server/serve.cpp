#include "server/serve.hpp"

#include <fcntl.h>
#include <signal.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/background.hpp"
#include "core/dir_path.hpp"
#include "core/exit_codes.hpp"
#include "core/log_paths.hpp"
#include "core/logger.hpp"
#include "core/readiness.hpp"
#include "core/token.hpp"
#include "core/version.hpp"
#include "core/worker_pool.hpp"
#include "http/listener.hpp"
#include "mcp/lifecycle_notes.hpp"
#include "mcp/server.hpp"
#include "os/cgroup.hpp"
#include "os/subreaper.hpp"
#include "server/banner.hpp"
#include "server/port_holder.hpp"
#include "server/systemd.hpp"
#include "stack/stack_restore.hpp"
#include "supervise/log_retention.hpp"
#include "supervise/recovery.hpp"
#include "supervise/state_keeper.hpp"
#include "supervise/spawn.hpp"
#include "supervise/supervisor.hpp"

namespace pp::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// A directory only this user may write to: created 0700 when missing (logs and
// environments hold secrets); an existing one is used as it is, never chmodded
// (pointed at /tmp, the server must not take /tmp private), but refused when
// another user could write to it and so swap the token or the state file.
std::string private_dir(const std::string& dir) {
  std::filesystem::path p(dir);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return "cannot create " + dir + ": " + std::strerror(errno);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return "cannot use " + dir + ": " + std::strerror(errno);
  if (!S_ISDIR(st.st_mode)) return dir + " is not a directory";
  if (st.st_uid != ::geteuid()) return dir + " belongs to another user (uid " + std::to_string(st.st_uid) + ")";
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return "other users can write to " + dir + " (mode " + mode +
           "), so they could replace the token or the state file; use a directory of your own";
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) return "cannot write to " + dir + ": " + std::strerror(errno);
  return "";
}

std::string file_stamp() {
  std::string s = format_iso_ms(now_ms());
  for (auto& c : s)
    if (c == ':') c = '-';
  return s;
}

}  // namespace

// Many idle agent connections must not exhaust the default 1024 descriptors.
void raise_fd_limit() {
  keep_fd_limit_for_children();
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// A list answer of a hundred processes is a few hundred KB, made and freed on
// every call: with glibc's defaults such a block is mmapped, or the heap's top
// is trimmed after it, so each call paid page faults to zero fresh pages again.
// Blocks up to kHeapBlock come from the heap, and up to kHeapSlack of free heap
// top is kept for the next call (docs/architecture.md#list).
namespace {
void keep_answers_on_the_heap() {
  constexpr int kHeapBlock = 4 << 20, kHeapSlack = 8 << 20;
  ::mallopt(M_MMAP_THRESHOLD, kHeapBlock);
  ::mallopt(M_TRIM_THRESHOLD, kHeapSlack);
}
}  // namespace

// serve --detach's child: once ready, nobody reads our stdout/stderr any more.
void drop_stdio() {
  // GCOVR_EXCL_START  only in the forked server of serve --detach, which _exits
  int fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  for (int target : {0, 1, 2}) ::dup2(fd, target);
  ::close(fd);
  // GCOVR_EXCL_STOP
}

int serve(const ServeOptions& opts) {
  take_systemd_environment();
  ::signal(SIGPIPE, SIG_IGN);  // children get the default back (spawn.cpp)
  raise_fd_limit();
  keep_answers_on_the_heap();
  std::string data_dir = absolute_dir(opts.data_dir);
  std::string log_dir = data_dir + "/process_logs";
  if (std::string err = private_dir(data_dir); !err.empty()) {
    std::fprintf(stderr, "persistproc: data directory unusable: %s\n", err.c_str());
    return kExitDataDir;
  }
  if (std::string err = private_dir(log_dir); !err.empty()) {
    std::fprintf(stderr, "persistproc: data directory unusable: %s\n", err.c_str());
    return kExitDataDir;
  }

  // The server's own log: always at debug in the file, console as -v/-q say.
  LogFile server_log;
  std::string server_log_path = pp::server_log_path(data_dir, file_stamp());
  if (std::string err = server_log.open(server_log_path); !err.empty()) {
    std::fprintf(stderr, "persistproc: data directory unusable: %s\n", err.c_str());
    return kExitDataDir;
  }
  std::uint64_t max_log_size = opts.max_log_size == 0 ? LogFile::kNoLimit : opts.max_log_size;
  server_log.set_max_size(max_log_size);
  logger::FileSinkGuard sink_guard([&server_log](Millis t, std::string_view line) {
    server_log.append(t, line);
    server_log.flush();
  });
  logger::set_console_level(opts.quiet          ? logger::Level::error
                            : opts.verbose >= 2 ? logger::Level::debug
                            : opts.verbose == 1 ? logger::Level::info
                                                : logger::Level::warning);

  http::HttpConfig http_config;
  if (!opts.no_auth) {
    std::string err;
    std::string token = ensure_token(data_dir, err);
    if (token.empty()) {
      std::fprintf(stderr, "persistproc: data directory unusable: %s\n", err.c_str());
      return kExitDataDir;
    }
    http_config.token = token;
    http_config.token_file = data_dir + "/token";
  }

  asio::io_context ioc(1);
  tcp::acceptor acceptor(ioc);
  boost::system::error_code ec;
  tcp::endpoint ep(asio::ip::make_address_v4("127.0.0.1"), static_cast<unsigned short>(opts.port));
  if (int fd = activated_socket(); fd >= 0) {
    acceptor.assign(tcp::v4(), fd, ec);  // systemd socket activation: already bound and listening
  } else {
    acceptor.open(ep.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(ep, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec == asio::error::address_in_use) {
    std::fprintf(stderr, "persistproc: port %d is already in use by %s\n", opts.port,
                 describe_port_holder(opts.port, http_config.token).c_str());
    return kExitPortInUse;
  }
  if (ec) {
    std::fprintf(stderr, "persistproc: cannot listen on 127.0.0.1:%d: %s\n", opts.port, ec.message().c_str());
    return kExitFailed;
  }
  int port = acceptor.local_endpoint().port();

  Supervisor supervisor(ioc.get_executor(), log_dir);
  supervisor.set_max_log_size(max_log_size);
  // What a managed process starts stays within reach (docs/architecture.md#stop):
  // orphans are re-parented to us, and with a delegated cgroup each process gets one.
  if (os::become_subreaper())
    supervisor.adopt_orphans();
  else
    logger::warning("cannot become a child subreaper: orphans of managed processes go to init, out of reach");
  if (std::string cgroup = os::delegated_cgroup(); !cgroup.empty()) {
    supervisor.use_cgroups(cgroup);
    logger::info("each managed process gets a cgroup of its own under " + cgroup);
  }
  // Old logs go at start-up, before the first accept (after recovery, below), then once a day.
  RetentionPolicy retention{opts.log_retention, log_dir, data_dir, server_log_path};
  asio::steady_timer retention_timer(ioc);
  std::chrono::steady_clock::duration retention_interval = kRetentionInterval;
  std::function<void(const std::vector<std::string>&)> no_report;
  run_in_background(ioc.get_executor(),
                    sweep_periodically(retention_timer, retention, supervisor, retention_interval, no_report),
                    "sweeping old logs once a day");
  mcp::ServerSelf self{static_cast<int>(::getpid()), data_dir, server_log_path, &server_log, now_ms()};
  // Reading and searching logs, off this thread (docs/architecture.md#worker-threads).
  // Declared after `ioc`, so it is joined before that goes: a finishing job hands
  // its result to `ioc`.
  WorkerPool readers(mcp::kReaderThreads);
  mcp::OutputReading reading{&readers, kReadBudget, nullptr};
  stack::Stacks stacks(ioc.get_executor(), supervisor);
  mcp::Server mcp_server(mcp::make_tools(supervisor, stacks, self, reading), kVersion);
  mcp::publish_lifecycle(supervisor, mcp_server);

  // One shutdown path for SIGINT and SIGTERM (the `shutdown` command sends SIGTERM).
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  // A closed terminal ends the server cleanly too, unless started under nohup.
  struct sigaction hup {};
  if (::sigaction(SIGHUP, nullptr, &hup) == 0 && hup.sa_handler != SIG_IGN) signals.add(SIGHUP);
  bool stopping = false;
  // The coroutines below are named lambdas: a coroutine lambda refers to its
  // captures through the lambda object, which must outlive it.
  auto shut_down = [&]() -> asio::awaitable<void> {
    co_await supervisor.shutdown(false);
    // Clients following the event streams get those exits before we go.
    co_await mcp_server.end_streams(std::chrono::steady_clock::now() + std::chrono::seconds(2));
    logger::info("all managed processes stopped; exiting");
    ioc.stop();
  };
  auto handle_signals = [&]() -> asio::awaitable<void> {
    for (;;) {
      int sig = co_await signals.async_wait(asio::use_awaitable);
      if (stopping) {
        logger::warning("second signal: killing every remaining process group now");
        run_in_background(ioc.get_executor(), supervisor.shutdown(true), "killing every remaining process group");
        continue;
      }
      stopping = true;
      sd_notify("STOPPING=1");
      logger::info(std::string("received ") + (sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP") +
                   ": stopping every managed process");
      boost::system::error_code ignore;
      acceptor.close(ignore);
      run_in_background(ioc.get_executor(), shut_down(), "shutting down");
    }
  };
  run_in_background(ioc.get_executor(), handle_signals(), "handling signals");

  auto start_up = [&]() -> asio::awaitable<void> {
    // What a server that died without shutting down left running is dealt with first
    // (state.json), so the table is complete before anyone can ask.
    RecoveryOptions recovery;
    recovery.state_path = data_dir + "/state.json";
    recovery.restore = opts.restore;
    recovery.restore_stack_members = [&](std::vector<ProcessSpec> members) {
      stack::restore_stacks(ioc.get_executor(), stacks, std::move(members));
    };
    RecoveryReport recovered = co_await recover_left_overs(supervisor, recovery);
    if (!recovered.other_server) keep_state_file(supervisor, recovery.state_path, readers);
    if (stopping) co_return;  // a signal came during recovery
    sweep_old_logs(retention, supervisor);

    run_in_background(ioc.get_executor(), http::accept_loop(acceptor, mcp_server, http_config),
                      "accepting connections");

    // Everything above is in place before the first accept can run: announce readiness.
    std::string url = "http://127.0.0.1:" + std::to_string(port) + "/mcp/";
    if (!opts.quiet) std::fputs(connect_banner(url, data_dir, http_config.token.value_or("")).c_str(), stdout);
    std::fputs(readiness_line(url).c_str(), stdout);
    std::fflush(stdout);
    sd_notify("READY=1\nMAINPID=" + std::to_string(::getpid()));
    if (opts.detached) {
      drop_stdio();
      logger::set_console_level(logger::Level::none);
    }
    logger::info("listening on " + url + " (pid " + std::to_string(::getpid()) + ", data dir " + data_dir + ")");
  };
  run_in_background(ioc.get_executor(), start_up(), "starting up");

  ioc.run();
  server_log.flush();
  return kExitOk;
}

}  // namespace pp::server
