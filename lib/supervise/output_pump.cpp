#include "supervise/output_pump.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <memory>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/background.hpp"
#include "core/eintr.hpp"
#include "os/pipe_size.hpp"

namespace pp {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {
// At most 1 MiB per turn, so one chatty child cannot starve the rest of the server;
// one read may take all of it (a grown pipe), and then the logs get writes of
// about a megabyte, which cost the kernel less per byte than small ones.
constexpr std::size_t kTurnBytes = 1024 * 1024;
constexpr int kReadsPerTurn = 16;
// A pipe starts at 64 KiB. A read of nearly all of that means the child was
// probably blocked on a full pipe: it grows to 1 MiB (pipe-max-size, the most an
// unprivileged user may ask for). A turn that finds less than kCalm shrinks it back.
constexpr int kDefaultPipe = 64 * 1024, kGrownPipe = 1024 * 1024;
constexpr std::size_t kFullPipe = kDefaultPipe - 4096, kCalm = 4096;
// The kernel counts pipe capacity against a per-user soft limit (pipe-user-pages-soft,
// 64 MiB by default), past which the user's new pipes get only 8 KiB: the server's
// grown pipes stay a quarter of it.
constexpr int kMaxGrownPipes = 16;
std::atomic<int> grown_pipes{0};

// One buffer per thread for every pump: reads are handed on before the next one.
char* read_buffer() {
  thread_local std::unique_ptr<char[]> buf(new char[kTurnBytes]);
  return buf.get();
}
// A partial line (no newline yet) is handed on once its stream has been quiet this long.
constexpr auto kQuietFlush = 50ms;
}  // namespace

OutputPump::OutputPump(asio::posix::stream_descriptor fd, Sink sink)
    : fd_(std::move(fd)), sink_(std::move(sink)), quiet_(fd_.get_executor()) {
  boost::system::error_code ignore;  // then read() fails with EBADF and the stream ends
  fd_.non_blocking(true, ignore);
}

OutputPump::~OutputPump() {
  if (pipe_grown_) --grown_pipes;
}

void OutputPump::start(const std::shared_ptr<const void>& owner, std::string name) {
  owner_ = owner;
  name_ = std::move(name);
  if (!fd_.is_open()) {  // stderr of a process on a PTY: it is all on stdout
    close();
    return;
  }
  run_in_background(fd_.get_executor(), pump(), "reading " + name_, owner, {sink_.failed, nullptr});
}

asio::awaitable<void> OutputPump::pump() {
  while (open_) {
    auto [ec] = co_await fd_.async_wait(asio::posix::descriptor_base::wait_read, asio::as_tuple(asio::use_awaitable));
    if (ec || !open_) break;
    if (!read_available(kReadsPerTurn)) close();
  }
}

bool OutputPump::read_available(int max_reads) {
  char* buf = read_buffer();
  std::size_t left = kTurnBytes;
  // Not a read for the few bytes a turn has left: a batch that small would cost more than it moves.
  for (int i = 0; i < max_reads && left >= static_cast<std::size_t>(kDefaultPipe); ++i) {
    ssize_t n = retry_eintr([&] { return ::read(fd_.native_handle(), buf, left); });
    if (n > 0) {
      if (static_cast<std::size_t>(n) >= kFullPipe) grow_pipe();
      take({buf, static_cast<std::size_t>(n)});
      left -= static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return false;  // 0 is end of stream
    if (kTurnBytes - left < kCalm) shrink_pipe();
    return true;
  }
  return true;
}

void OutputPump::grow_pipe() {
  if (pipe_grown_) return;
  if (++grown_pipes > kMaxGrownPipes || !os::set_pipe_capacity(fd_.native_handle(), kGrownPipe)) {
    --grown_pipes;
    return;
  }
  pipe_grown_ = true;
}

void OutputPump::shrink_pipe() {
  // Refused while the pipe holds more than the small size: tried again next time.
  if (!pipe_grown_ || !os::set_pipe_capacity(fd_.native_handle(), kDefaultPipe)) return;
  pipe_grown_ = false;
  --grown_pipes;
}

void OutputPump::drain() {
  if (!open_) return;
  int pending = 0;
  if (::ioctl(fd_.native_handle(), FIONREAD, &pending) == 0) {
    char* buf = read_buffer();
    while (pending > 0) {
      ssize_t n = retry_eintr([&] {
        return ::read(fd_.native_handle(), buf, std::min<std::size_t>(kTurnBytes, static_cast<std::size_t>(pending)));
      });
      if (n <= 0) break;
      take({buf, static_cast<std::size_t>(n)});
      pending -= static_cast<int>(n);
    }
  }
  hand_on_partial();
}

void OutputPump::take(std::string_view bytes) {
  Millis stamp = sink_.stamp();
  if (sink_.raw) sink_.raw(bytes);
  if (sink_.terminal) {
    clean_.clear();
    terminal_.feed(bytes, clean_);
    bytes = clean_;
  }
  splitter_.feed(bytes, [&](std::string_view line) { sink_.line(line, stamp); });
  sink_.batch();
  if (!quiet_flush_due() || !open_) return;
  quiet_.expires_after(kQuietFlush);  // re-arming restarts the quiet period
  if (quiet_waiting_) return;
  if (auto owner = owner_.lock()) {
    quiet_waiting_ = true;
    run_in_background(fd_.get_executor(), flush_when_quiet(), "writing the partial line of " + name_,
                      std::move(owner), {sink_.failed, nullptr});
  }
}

asio::awaitable<void> OutputPump::flush_when_quiet() {
  for (;;) {
    auto [ec] = co_await quiet_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      // Re-armed by new data (or cancelled): wait again while a partial line remains.
      if (open_ && quiet_flush_due()) continue;
      break;
    }
    if (open_ && quiet_flush_due()) hand_on_partial();
    break;
  }
  quiet_waiting_ = false;
}

void OutputPump::hand_on_partial() {
  Millis stamp = sink_.stamp();
  if (sink_.terminal) {
    clean_.clear();
    terminal_.flush(clean_);
    splitter_.feed(clean_, [&](std::string_view line) { sink_.line(line, stamp); });
  }
  splitter_.flush([&](std::string_view line) { sink_.line(line, stamp); });
  sink_.batch();
}

void OutputPump::close() {
  if (!open_) return;
  open_ = false;
  quiet_.cancel();
  hand_on_partial();
  boost::system::error_code ignore;
  fd_.close(ignore);
  if (pipe_grown_) --grown_pipes;
  pipe_grown_ = false;
  sink_.ended();
}

}  // namespace pp
