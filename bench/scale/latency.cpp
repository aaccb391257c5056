#include "scale/latency.hpp"

#include <boost/json.hpp>

#include "common/timing.hpp"
#include "scale/fleet.hpp"
#include "support/raw_http.hpp"

namespace pp::bench {

namespace json = boost::json;

namespace {

// Reads the event stream until the notification that `pid` exited.
void await_exit_event(pp::test::SseClient& sse, int pid) {
  for (;;) {
    std::string text = sse.next_data();
    if (text.empty()) throw std::runtime_error("event stream ended (or 20 s without an event)");
    auto msg = json::parse(text).as_object();
    auto* params = msg.if_contains("params");
    if (!params) continue;
    const auto& d = params->at("data").as_object();
    if (d.at("event") == "exited" && d.contains("pid") && d.at("pid").as_int64() == pid) return;
  }
}

}  // namespace

LatencySamples latency_rounds(const pp::test::Server& s, Session& sess, const std::string& cwd, int rounds) {
  LatencySamples out;
  std::string session = pp::test::http_initialize(s.port(), s.token());
  pp::test::SseClient sse(s.port(), {{"Authorization", "Bearer " + s.token()}, {"Mcp-Session-Id", session}});
  if (sse.status() != 200) throw std::runtime_error("no event stream");
  for (int i = 0; i < rounds; ++i) {
    std::string n = std::to_string(i);
    int pid = start_ready(sess, cwd, "lat-list" + n);
    auto dead = kill_and_await_death(pid);
    out.list_still_running += sess.await_not_running(pid);
    out.exit_list.push_back(ms_since(dead));

    pid = start_ready(sess, cwd, "lat-event" + n);
    dead = kill_and_await_death(pid);
    await_exit_event(sse, pid);
    out.exit_event.push_back(ms_since(dead));

    json::object args = start_args(pp::test::kHelper + " out:booting stamp:ready pause", cwd, "lat-wait" + n);
    args["wait_for"] = "^ready \\d+$";
    auto r = sess.call("ctrl", std::move(args));
    auto returned = Clock::now();
    if (!r.at("error").is_null()) throw std::runtime_error("wait_for failed: " + json::serialize(r));
    std::string line(r.at("matched_line").as_string());  // "ready <ns>"
    out.wait_for.push_back(ms_between(from_monotonic_ns(std::stod(line.substr(line.find(' ') + 1))), returned));
    sess.call("ctrl", {{"action", "stop"}, {"pid", r.at("pid")}, {"force", true}});
  }
  return out;
}

}  // namespace pp::bench
