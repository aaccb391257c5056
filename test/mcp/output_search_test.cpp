// `output` reads on a worker thread within a budget (docs/mcp.md#output): while a
// search is under way, other calls are answered; a search out of time returns an
// error result saying how far it got. The log searched is the server's own (pid 0),
// written here directly, 30,000 lines of 100 bytes (three search blocks).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

#include "mcp/mcp_fixture.hpp"

namespace pp::test {
namespace {

namespace asio = boost::asio;

class OutputSearch : public McpFixture {
 protected:
  void SetUp() override {
    McpFixture::SetUp();
    for (int i = 0; i < kLines; ++i) {
      std::string text = "INFO line " + std::to_string(i) + (i % 1000 == 0 ? " needle" : "");
      text.resize(74, '.');
      server_log.append(now_ms(), text);
    }
    server_log.flush();
  }
  void TearDown() override {
    reading.on_block = nullptr;
    McpFixture::TearDown();
  }

  std::string request(const std::string& tool, json::object args) {
    json::object msg{{"jsonrpc", "2.0"},
                     {"id", next_id++},
                     {"method", "tools/call"},
                     {"params", {{"name", tool}, {"arguments", std::move(args)}}}};
    return json::serialize(msg);
  }
  static json::object result_of(const mcp::Reply& r) {
    return json::parse(r.body).as_object().at("result").as_object();
  }

  static constexpr int kLines = 30000;
};

// Set free when it goes, so that a failing test never leaves a worker waiting
// (the pool's join would wait for it).
struct Gate {
  std::promise<void> promise;
  std::shared_future<void> opened = promise.get_future().share();
  void open() {
    if (!is_open) promise.set_value();
    is_open = true;
  }
  ~Gate() { open(); }
  bool is_open = false;
};

// The search is held on its worker after its first block until `list`, sent after
// it from another coroutine, has been answered: were the search on the I/O thread,
// `list` could not be answered and the test would fail at its bound.
TEST_F(OutputSearch, OtherCallsAreAnsweredWhileASearchRuns) {
  Gate gate;
  Event held(ioc.get_executor());
  std::atomic<bool> first{true};
  const auto io_thread = std::this_thread::get_id();
  reading.on_block = [&] {  // on the worker
    if (!first.exchange(false)) return;
    asio::post(ioc, [&] { held.set(); });
    if (std::this_thread::get_id() == io_thread) {
      ADD_FAILURE() << "the search runs on the I/O thread";
      return;
    }
    // The failure bound: the test's end opens the gate anyway.
    EXPECT_EQ(gate.opened.wait_for(30s), std::future_status::ready);
  };
  mcp::RequestHeaders h;
  h.session_id = session;
  const std::string search_body = request("output", {{"pid", 0}, {"pattern", "needle"}, {"lines", 100}});
  const std::string list_body = request("list", {});
  std::optional<mcp::Reply> search;
  Event search_done(ioc.get_executor());
  asio::co_spawn(ioc, server->post(h, search_body), [&](std::exception_ptr e, mcp::Reply r) {
    EXPECT_FALSE(e);
    search = std::move(r);
    search_done.set();
  });
  run_co(ioc, [&]() -> asio::awaitable<void> {
    co_await held.wait();
    mcp::Reply list = co_await server->post(h, list_body);
    EXPECT_EQ(list.status, 200);
    EXPECT_TRUE(result_of(list).at("structuredContent").at("processes").is_array());
    EXPECT_FALSE(search_done.is_set()) << "the search ended before list was answered";
    gate.open();
    co_await search_done.wait();
  }());
  ASSERT_TRUE(search);
  auto out = result_of(*search).at("structuredContent").as_object();
  EXPECT_TRUE(out.at("error").is_null()) << json::serialize(out);
  ASSERT_EQ(out.at("output").as_array().size(), static_cast<std::size_t>(kLines / 1000));
  EXPECT_NE(out.at("output").at(0).as_string().find(" INFO line 0 needle"), json::string::npos);
}

// With no time at all, the search reads one block (the newest 1 MiB), returns the
// matches there and an error result saying the search was cut off and how far it got.
TEST_F(OutputSearch, ASearchOutOfTimeIsAnErrorResultSayingHowFarItGot) {
  reading.budget = std::chrono::seconds(0);
  auto r = call_raw("output", {{"pid", 0}, {"pattern", "needle"}, {"lines", 100}});
  EXPECT_EQ(r.at("isError"), true);
  auto out = r.at("structuredContent").as_object();
  ASSERT_TRUE(out.at("error").is_string()) << json::serialize(out);
  std::string error(out.at("error").as_string());
  EXPECT_TRUE(error.starts_with("The search was cut off at the limit of 0 ms per call: it searched only the newest "))
      << error;
  EXPECT_NE(error.find(" bytes in the window, lines "), std::string::npos) << error;
  EXPECT_NE(error.find(" (stamped "), std::string::npos) << error;
  // About 10,485 of the 30,001 lines searched: the needles among them, no others.
  auto found = out.at("output").as_array();
  EXPECT_GE(found.size(), 10u);
  EXPECT_LE(found.size(), 11u);
  EXPECT_NE(found.back().as_string().find(" INFO line 29000 needle"), json::string::npos);
  // Given the time, the same search is complete.
  reading.budget = kReadBudget;
  auto whole = call("output", {{"pid", 0}, {"pattern", "needle"}, {"lines", 100}});
  EXPECT_TRUE(whole.at("error").is_null());
  EXPECT_EQ(whole.at("output").as_array().size(), static_cast<std::size_t>(kLines / 1000));
}

}  // namespace
}  // namespace pp::test
