#include "scale/latency.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "client/event_source.hpp"

#include "common/timing.hpp"
#include "scale/fleet.hpp"

namespace pp::bench {

namespace json = boost::json;

namespace {

// Reads the event stream until the notification that `pid` exited.
void await_exit_event(boost::asio::io_context& ioc, pp::client::EventSource& es, int pid) {
  for (;;) {
    auto ev = pp::test::run_co(ioc, es.next());
    if (!ev) throw std::runtime_error("event stream ended");
    auto* e = ev->if_contains("event");
    auto* p = ev->if_contains("pid");
    if (e && *e == "exited" && p && p->is_int64() && p->as_int64() == pid) return;
  }
}

}  // namespace

LatencySamples latency_rounds(const pp::test::Server& s, Session& sess, const std::string& cwd, int rounds) {
  LatencySamples out;
  // The client library's stream, as `run` holds one.
  boost::asio::io_context ioc;
  pp::client::EventSource es(ioc.get_executor(), {s.port(), s.token(), std::chrono::seconds(120)});
  pp::test::run_co(ioc, es.open());
  for (int i = 0; i < rounds; ++i) {
    std::string n = std::to_string(i);
    int pid = start_ready(sess, cwd, "lat-event" + n);
    auto dead = kill_and_await_death(pid);
    await_exit_event(ioc, es, pid);
    out.exit_event.push_back(ms_since(dead));


    pid = start_ready(sess, cwd, "lat-list" + n);
    dead = kill_and_await_death(pid);
    out.list_still_running += sess.await_not_running(pid);
    out.exit_list.push_back(ms_since(dead));

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
