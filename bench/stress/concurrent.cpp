// Concurrent restarts and stops of one process: every caller should hear the one
// true outcome.
#include <boost/json.hpp>
#include <cstdio>
#include <latch>
#include <map>
#include <thread>

#include "common/session.hpp"
#include "stress/stress.hpp"

namespace pp::bench {

namespace {
constexpr int kRestarts = 8;
constexpr int kStops = 2;

namespace json = boost::json;

// `callers` clients send `args` to ctrl at once; their answers.
std::vector<json::object> at_once(const pp::test::Server& s, int callers, const json::object& args) {
  std::vector<json::object> answers(static_cast<std::size_t>(callers));
  std::vector<std::unique_ptr<Session>> sessions;
  for (int i = 0; i < callers; ++i) sessions.push_back(std::make_unique<Session>(s.port(), s.token()));
  std::latch go(callers);
  std::vector<std::thread> threads;
  for (int i = 0; i < callers; ++i)
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      answers[static_cast<std::size_t>(i)] = sessions[static_cast<std::size_t>(i)]->call("ctrl", args);
    });
  for (auto& t : threads) t.join();
  return answers;
}

void report(const char* what, const std::vector<json::object>& answers) {
  std::map<std::string, int> heard;
  for (const auto& a : answers) {
    std::string key = a.at("error").is_string() ? "error: " + std::string(a.at("error").as_string())
                                                : "pid " + json::serialize(a.at("pid")) + ", exit_code " +
                                                      json::serialize(a.at("exit_code"));
    ++heard[key];
  }
  std::printf("%s:", what);
  for (const auto& [k, n] : heard) std::printf(" %d× {%s}", n, k.c_str());
  std::printf("\n");
}
}  // namespace

void concurrent_operations(const pp::test::Server& s, const std::string& cwd) {
  Session sess(s.port(), s.token());
  sess.call("ctrl", start_args(pp::test::kHelper + " out:ready pause", cwd, "twice"));
  report("8 restarts at once", at_once(s, kRestarts, {{"action", "restart"}, {"command_or_label", "twice"}}));
  report("2 stops at once", at_once(s, kStops, {{"action", "stop"}, {"command_or_label", "twice"}}));
}

}  // namespace pp::bench
