// The output pump on a real pipe: whole lines handed on with one stamp per read,
// a partial line after the quiet period or at end of stream, drain() taking
// exactly what the pipe holds without ending the stream, and a pipe that grows
// while its child fills it and shrinks back once the output is small.
#include "supervise/output_pump.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "os/pipe_size.hpp"
#include "support/test_support.hpp"

namespace pp {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Line {
  std::string text;
  Millis stamp;
};

// A pump on a fresh pipe, recording what it hands on.
class Pumped : public ::testing::Test {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    writer = fds[1];
    pump = std::make_shared<OutputPump>(
        asio::posix::stream_descriptor(ioc, fds[0]),
        OutputPump::Sink{[this] { return ++clock; },
                         [this](std::string_view l, Millis stamp) {
                           lines.push_back({std::string(l), stamp});
                           line_seen.set();
                         },
                         [this] { ++batches; }, [this] { ended.set(); }});
  }
  void TearDown() override { close_writer(); }

  void write(const std::string& bytes) { ASSERT_EQ(::write(writer, bytes.data(), bytes.size()), ssize_t(bytes.size())); }
  void close_writer() {
    if (writer >= 0) ::close(writer);
    writer = -1;
  }
  bool await(Event& e) { return test::run_co(ioc, e.wait_for(10s)); }

  asio::io_context ioc;
  int writer = -1;
  Millis clock = 0;
  std::vector<Line> lines;
  int batches = 0;
  Event line_seen{ioc.get_executor()}, ended{ioc.get_executor()};
  std::shared_ptr<OutputPump> pump;
};

TEST_F(Pumped, WholeLinesOfOneReadShareItsStampUntilEndOfStream) {
  write("one\ntwo\n");
  close_writer();
  pump->start(pump, "stdout of a test");
  ASSERT_TRUE(await(ended));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "one");
  EXPECT_EQ(lines[1].text, "two");
  EXPECT_EQ(lines[0].stamp, lines[1].stamp);
  EXPECT_FALSE(pump->open());
  EXPECT_GE(batches, 2);  // the read, then the end of stream
}

TEST_F(Pumped, APartialLineIsHandedOnOnceTheStreamIsQuiet) {
  pump->start(pump, "stdout of a test");
  write("no newline yet");
  ASSERT_TRUE(await(line_seen));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "no newline yet");
  EXPECT_TRUE(pump->open());
  close_writer();
  ASSERT_TRUE(await(ended));
  EXPECT_EQ(lines.size(), 1u);
}

TEST_F(Pumped, APartialLineIsHandedOnAtEndOfStream) {
  pump->start(pump, "stdout of a test");
  write("last words");
  close_writer();
  ASSERT_TRUE(await(ended));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "last words");
}

TEST_F(Pumped, DrainTakesWhatThePipeHoldsAndTheStreamStaysOpen) {
  write("a\nb\npartial");
  pump->drain();  // not started: nothing else has read the pipe
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2].text, "partial");
  EXPECT_TRUE(pump->open());
  EXPECT_FALSE(ended.is_set());
  pump->start(pump, "stdout of a test");
  write("more\n");
  close_writer();
  ASSERT_TRUE(await(ended));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[3].text, "more");
}

// A pump on a fresh pipe that only counts its lines.
struct Counted {
  explicit Counted(asio::io_context& io) : ioc(io), ended(io.get_executor()) {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    writer = fds[1];
    pump = std::make_shared<OutputPump>(asio::posix::stream_descriptor(ioc, fds[0]),
                                        OutputPump::Sink{[] { return Millis{1}; },
                                                         [this](std::string_view, Millis) {
                                                           if (++lines >= target && reached) reached->set();
                                                         },
                                                         [] {}, [this] { ended.set(); }});
  }
  ~Counted() { close_writer(); }
  void close_writer() {
    if (writer >= 0) ::close(writer);
    writer = -1;
  }

  void write(const std::string& bytes) { ASSERT_EQ(::write(writer, bytes.data(), bytes.size()), ssize_t(bytes.size())); }
  // True once `n` lines in all were handed on (the pump's turn over by then).
  bool await_lines(std::size_t n) {
    target = n;
    reached = std::make_unique<Event>(ioc.get_executor());
    return lines >= n || test::run_co(ioc, reached->wait_for(10s));
  }
  int capacity() const { return os::pipe_capacity(writer); }

  asio::io_context& ioc;
  int writer = -1;
  std::size_t lines = 0, target = 0;
  std::unique_ptr<Event> reached;
  Event ended;
  std::shared_ptr<OutputPump> pump;
};

constexpr int kDefaultPipe = 64 * 1024, kGrownPipe = 1024 * 1024;
// 64 KiB of 64-byte lines: a default pipe, full.
const std::string kFullPipe = [] {
  std::string s;
  while (s.size() < kDefaultPipe) s += std::string(63, 'x') + "\n";
  return s;
}();

TEST(PipeSize, APipeItsChildFilledGrowsAndShrinksBackOnceTheOutputIsSmall) {
  asio::io_context ioc;
  Counted c(ioc);
  ASSERT_EQ(c.capacity(), kDefaultPipe);
  c.write(kFullPipe);
  c.pump->start(c.pump, "stdout of a test");
  ASSERT_TRUE(c.await_lines(1024));
  EXPECT_EQ(c.capacity(), kGrownPipe);
  c.write("small\n");
  ASSERT_TRUE(c.await_lines(1025));
  EXPECT_EQ(c.capacity(), kDefaultPipe);
}

TEST(PipeSize, AtMostSixteenPipesAreGrownAtOnce) {
  asio::io_context ioc;
  std::vector<std::unique_ptr<Counted>> pumps;
  for (int i = 0; i < 17; ++i) {
    pumps.push_back(std::make_unique<Counted>(ioc));
    pumps.back()->write(kFullPipe);
    pumps.back()->pump->start(pumps.back()->pump, "stdout of a test");
  }
  int grown = 0;
  for (auto& c : pumps) {
    ASSERT_TRUE(c->await_lines(1024));
    grown += c->capacity() == kGrownPipe;
  }
  EXPECT_EQ(grown, 16);
  // One stream ends: its grown pipe no longer counts, so the next one that fills may grow.
  auto it = std::find_if(pumps.begin(), pumps.end(), [](auto& c) { return c->capacity() == kGrownPipe; });
  ASSERT_NE(it, pumps.end());
  (*it)->close_writer();
  ASSERT_TRUE(test::run_co(ioc, (*it)->ended.wait_for(10s)));
  auto small = std::find_if(pumps.begin(), pumps.end(), [](auto& c) { return c->capacity() == kDefaultPipe; });
  ASSERT_NE(small, pumps.end());
  (*small)->write(kFullPipe);
  ASSERT_TRUE((*small)->await_lines(2048));
  EXPECT_EQ((*small)->capacity(), kGrownPipe);
}

}  // namespace
}  // namespace pp
