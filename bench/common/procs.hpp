// The processes a benchmark starts and watches: a command spawned with its
// output in a file and a pidfd to await its end, the tree under a process (whose
// RSS counts as the supervisor's), and the sweep that leaves nothing running.
#pragma once
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace pp::bench {

// A pidfd on any process (ours or not): readable once it has exited. Closed at the end.
class PidFd {
 public:
  explicit PidFd(int pid);
  ~PidFd();
  PidFd(PidFd&& o) noexcept : pid_(o.pid_), fd_(o.fd_) { o.fd_ = -1; }
  PidFd(const PidFd&) = delete;
  PidFd& operator=(const PidFd&) = delete;
  int pid() const { return pid_; }
  int fd() const { return fd_; }

 private:
  int pid_, fd_;
};

// A command of ours, stdout and stderr into `out_file`, in `cwd`. Not reaped here:
// sweep() reaps every child at the end of the round.
struct Spawned {
  int pid;
  PidFd pidfd;
};
Spawned spawn_to_file(const std::vector<std::string>& argv, const std::string& out_file, const std::string& cwd,
                      const std::map<std::string, std::string>& env = {});
// The exit code of our child that has exited (reaps it), -signal when killed by one.
int reap(int pid);

// pid and every process below it, parents first.
std::vector<int> tree(int pid);
// The summed VmRSS, in MiB, of the processes of pid's tree that run the same
// executable as pid (the supervisor's own processes, not the children it manages).
double supervisor_rss_mib(int pid);

// Makes this process the reaper of its orphans, so a peer daemon's children that
// outlive it stay in our tree for sweep().
void become_subreaper();
// SIGKILLs every process below this one and reaps them all: the end of a round.
void sweep();
// From now on SIGINT, SIGTERM or SIGHUP sweep() (so this must be a subreaper), then
// end this one: a harness stopped midway leaves nothing running either. (Handlers, not
// a blocked mask, since children would inherit a mask and never see their own
// stop signals.)
void sweep_on_signals();

}  // namespace pp::bench
