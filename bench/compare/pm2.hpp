// pm2 with its own PM2_HOME, driven through its CLI (as people use it) and through
// pm2_agent.mjs (its programmatic API kept connected, the peer of an open MCP session).
#pragma once
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <vector>

#include "common/commands.hpp"

namespace pp::bench {

class Pm2 {
 public:
  // npm: the directory bench/run installed the peers in; starts the daemon and the agent.
  Pm2(const std::string& npm, std::string pm2_home);
  // Stops the agent, then kills the daemon and every app.
  ~Pm2();
  Pm2(const Pm2&) = delete;
  Pm2& operator=(const Pm2&) = delete;

  const std::string node, cli;  // Node 22 from npm, and pm2's CLI script
  int god() const { return god_; }  // the daemon's pid
  Env env() const { return {{"PM2_HOME", home_}}; }

  // `pm2 <args>`, timed.
  Ran run(std::vector<std::string> args) const;
  // One request to the agent (see pm2_agent.mjs); throws on its error.
  boost::json::object ask(const boost::json::object& req);
  // Starts `script args` as app `name`; the answer holds its pid and out log.
  boost::json::object start(const std::string& name, const std::string& script, const std::vector<std::string>& args);
  void remove(const std::string& name);

 private:
  std::string home_;
  int god_ = -1;
  std::unique_ptr<Child> agent_;
};

}  // namespace pp::bench
