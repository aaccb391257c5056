// persistproc: `persistproc up -d` on a persistproc.yaml against a server already
// running (as it runs for a user: `up` does not start one), `persistproc down` to
// stop. A fresh server per round, started before the round's clock, so each
// round's RSS is a stack's alone; finish() ends it.
#include <fstream>

#include "stacks/tool.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

namespace {

class Persistproc : public Tool {
 public:
  explicit Persistproc(Stack s)
      : Tool(std::move(s)),
        server_(std::make_unique<pp::test::Server>(std::vector<std::string>{"-q"})),
        env_({{"PERSISTPROC_PORT", std::to_string(server_->port())},
              {"PERSISTPROC_DATA_DIR", server_->data_dir()},
              {"PERSISTPROC_FORMAT", ""},
              {"PERSISTPROC_TOKEN", ""}}),
        file_(stack.dir + "/persistproc.yaml") {
    std::ofstream y(file_);
    y << "name: bench\nprocesses:\n";
    for (std::string n : Stack::kNames) {
      y << "  " << n << ":\n    command: '" << stack.command(n) << "'\n    ready_log_line: '"
        << Stack::ready_line(n) << "'\n";
      if (n == Stack::kDependent)
        y << "    depends_on:\n      " << Stack::kDependency << ":\n        condition: process_ready\n";
    }
  }

  std::string name() const override { return "persistproc"; }
  std::vector<Output> outputs() const override { return {{server_->data_dir() + "/process_logs", ".stdout"}}; }
  const PidFd& up() override {
    up_.emplace(spawn_to_file({pp::test::kBin, "up", "-d", file_}, stack.dir + "/up.out", stack.dir, env_));
    return up_->pidfd;
  }
  bool up_returns_when_ready() const override { return true; }
  int supervisor() const override { return server_->pid(); }
  const PidFd& stop() override {
    stop_.emplace(spawn_to_file({pp::test::kBin, "down", file_}, stack.dir + "/down.out", stack.dir, env_));
    return stop_->pidfd;
  }
  void finish() override { server_->terminate(); }
  void reap_up() override { up_code = reap(up_->pid); }
  void reap_stop() override { stop_code = reap(stop_->pid); }
  std::string dependency() const override {
    return "`depends_on: {db: {condition: process_ready}}` with db's `ready_log_line`; `up -d` returns once all are ready";
  }

 private:
  std::unique_ptr<pp::test::Server> server_;
  std::map<std::string, std::string> env_;
  std::string file_;
  std::optional<Spawned> up_, stop_;
};

}  // namespace

std::unique_ptr<Tool> make_persistproc(Stack s) { return std::make_unique<Persistproc>(std::move(s)); }

}  // namespace pp::bench
