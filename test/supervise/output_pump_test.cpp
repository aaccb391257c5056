// The output pump on a real pipe: whole lines handed on with one stamp per read,
// a partial line after the quiet period or at end of stream, and drain() taking
// exactly what the pipe holds without ending the stream.
#include "supervise/output_pump.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "core/event.hpp"
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

}  // namespace
}  // namespace pp
