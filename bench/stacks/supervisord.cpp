// supervisord (Debian's `supervisor`) with a configuration, socket, pid file and
// logs of its own in the round's directory, in the foreground (-n) as our child,
// never the system's. Each process logs to its own file (stdout_logfile, no
// rotation); `supervisorctl stop all` stops them (reverse priority, SIGTERM each),
// then SIGTERM ends supervisord. `priority` orders the starts but no start waits
// for another to be ready: api runs through await_line.sh on db's log.
#include <poll.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "stacks/tool.hpp"

namespace pp::bench {

namespace {

constexpr std::chrono::seconds kExitBound{30};

class Supervisord : public Tool {
 public:
  explicit Supervisord(Stack s)
      : Tool(std::move(s)), conf_(stack.dir + "/supervisord.conf"), out_dir_(stack.dir + "/out") {
    std::filesystem::create_directories(out_dir_);
    const std::string& d = stack.dir;
    std::ofstream c(conf_);
    c << "[supervisord]\nnodaemon=true\nlogfile=" << d << "/supervisord.log\npidfile=" << d
      << "/supervisord.pid\nchildlogdir=" << d << "\n\n[unix_http_server]\nfile=" << d
      << "/supervisor.sock\n\n[rpcinterface:supervisor]\n"
         "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n"
         "[supervisorctl]\nserverurl=unix://"
      << d << "/supervisor.sock\n";
    int priority = 1;
    for (std::string n : Stack::kNames) {
      std::string cmd = n == Stack::kDependent ? stack.command_after(n, log(Stack::kDependency)) : stack.command(n);
      c << "\n[program:" << n << "]\ncommand=" << cmd << "\npriority=" << priority++
        << "\nstartsecs=0\nautorestart=false\nredirect_stderr=true\nstdout_logfile=" << log(n)
        << "\nstdout_logfile_maxbytes=0\nstopsignal=TERM\nstopwaitsecs=8\n";
    }
  }

  std::string name() const override { return "supervisord"; }
  std::vector<Output> outputs() const override { return {{out_dir_, ".out"}}; }
  const PidFd& up() override {
    daemon_.emplace(spawn_to_file({"supervisord", "-n", "-c", conf_}, stack.dir + "/supervisord.stdout", stack.dir));
    return daemon_->pidfd;
  }
  int supervisor() const override { return daemon_->pid; }
  const PidFd& stop() override {
    ctl_.emplace(spawn_to_file({"supervisorctl", "-c", conf_, "stop", "all"}, stack.dir + "/supervisorctl.out", stack.dir));
    return ctl_->pidfd;
  }
  void finish() override {
    ::kill(daemon_->pid, SIGTERM);
    pollfd p{daemon_->pidfd.fd(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::chrono::milliseconds(kExitBound).count())) != 1)
      throw std::runtime_error("supervisord did not exit after SIGTERM");
    reap(daemon_->pid);
  }
  void reap_up() override { up_code = reap(daemon_->pid); }
  void reap_stop() override { stop_code = reap(ctl_->pid); }
  std::string dependency() const override {
    return "`priority` orders the starts without waiting for readiness: api runs as `await_line.sh <db's log> db <api>`";
  }

 private:
  std::string log(const std::string& n) const { return out_dir_ + "/" + n + ".out"; }

  std::string conf_, out_dir_;
  std::optional<Spawned> daemon_, ctl_;
};

}  // namespace

std::unique_ptr<Tool> make_supervisord(Stack s) { return std::make_unique<Supervisord>(std::move(s)); }

}  // namespace pp::bench
