#include "common/session.hpp"

#include <boost/json.hpp>

#include "common/timing.hpp"
#include "support/test_support.hpp"

namespace pp::bench {

namespace json = boost::json;

namespace {

// A failure bound per call: ctrl may wait for a stop sequence or a large log.
constexpr std::chrono::seconds kCallBound{120};

}  // namespace

Session::Session(int port, std::optional<std::string> token) : c_(ioc_.get_executor(), {port, std::move(token)}) {
  pp::test::run_co(ioc_, c_.open());
}

Session::~Session() {
  try {
    pp::test::run_co(ioc_, c_.close());
  } catch (...) {
  }
}

json::object Session::call(const std::string& tool, json::object args) {
  return pp::test::run_co(ioc_, c_.call_tool(tool, std::move(args)), kCallBound);
}

long Session::await_not_running(int pid) {
  json::object q{{"pid", pid}};
  long running = 0;
  while (call("list", q).at("processes").at(0).at("status") == "running") ++running;
  return running;
}

void start_listeners(Session& sess, int n, const std::string& cwd) {
  for (int i = 0; i < n; ++i) {
    auto args = start_args(pp::test::kHelper + " listen pause", cwd, "web" + std::to_string(i));
    args["wait_for"] = "^listening on";
    sess.call("ctrl", args);
  }
}

boost::asio::awaitable<void> list_calls(pp::client::McpClient& c, int calls, std::vector<double>& lat, long& errors) {
  try {
    co_await c.open();
    for (int i = 0; i < calls; ++i) {
      auto t0 = Clock::now();
      json::object r = co_await c.call_tool("list", {});
      if (!r.contains("processes")) ++errors;
      lat.push_back(ms_since(t0));
    }
    co_await c.close();
  } catch (const std::exception&) {
    ++errors;
  }
}

json::object start_args(const std::string& cmd, const std::string& cwd, const std::string& label) {
  json::object a{{"action", "start"}, {"command_or_label", cmd}, {"working_directory", cwd}};
  if (!label.empty()) a["label"] = label;
  return a;
}

int as_int(const json::value& v) { return static_cast<int>(v.as_int64()); }

}  // namespace pp::bench
