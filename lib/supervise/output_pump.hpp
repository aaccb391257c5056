// One output stream of a child (stdout or stderr): reads its descriptor as it
// becomes readable and hands each whole line to a sink; where lines are written
// is the sink's business. Reading on readiness, rather than with a pending
// asynchronous read, means no bytes can sit inside a pending operation when the
// exit is recorded (docs/architecture.md#life-of-a-process).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/line_splitter.hpp"
#include "core/terminal_text.hpp"
#include "core/timestamp.hpp"

namespace pp {

class OutputPump {
 public:
  // Where the lines go. All lines of one read share one stamp from `stamp`;
  // `batch` follows the lines of each read, and `ended` the last batch, once.
  // `raw`, when set, sees each read's bytes as read; with `terminal`, lines are
  // what a terminal would show (TerminalText), not the bytes (a PTY's output).
  struct Sink {
    std::function<Millis()> stamp;
    std::function<void(std::string_view line, Millis stamp)> line;
    std::function<void()> batch;
    std::function<void()> ended;
    std::function<void(std::string_view bytes)> raw = nullptr;
    bool terminal = false;
    // An exception ended one of the pump's coroutines (logged already): "<what the
    // coroutine did>: <what()>". The stream is no longer read.
    std::function<void(const std::string& failure)> failed = nullptr;
  };

  // Takes over `fd`, any readable descriptor (a pipe, a terminal), and makes it
  // non-blocking. A closed `fd` is a stream that has ended already.
  OutputPump(boost::asio::posix::stream_descriptor fd, Sink sink);
  OutputPump(const OutputPump&) = delete;
  OutputPump& operator=(const OutputPump&) = delete;
  ~OutputPump();

  // Reads until every writer has closed the descriptor, also after the child
  // exited: the rest of its group may still write. The pump lives inside `owner`,
  // which its coroutines keep alive while they run; `name` ("stdout of PID 12
  // (web)") names them in the server log.
  void start(const std::shared_ptr<const void>& owner, std::string name);
  bool open() const { return open_; }
  // Reads exactly what the descriptor holds at this moment (FIONREAD), no more, so
  // a writer that never pauses cannot hold the caller here, then hands on the
  // partial line. For the exit; the stream stays open.
  void drain();

 private:
  boost::asio::awaitable<void> pump();
  boost::asio::awaitable<void> flush_when_quiet();
  // Reads what the descriptor holds now, at most `max_reads` times; false at end of stream.
  bool read_available(int max_reads);
  void take(std::string_view bytes);
  bool has_partial() const { return splitter_.has_partial() || terminal_.has_partial(); }
  // A partial line worth handing on after the quiet period: not one a terminal
  // program is redrawing in place, which is handed on at its newline or the end.
  bool quiet_flush_due() const {
    return splitter_.has_partial() || (terminal_.has_partial() && !terminal_.redrawing());
  }
  void hand_on_partial();
  void close();
  // A child that filled its pipe outruns the pump: its pipe grows (16 at most at
  // once in the server), and shrinks back once its output is small.
  void grow_pipe();
  void shrink_pipe();

  boost::asio::posix::stream_descriptor fd_;
  Sink sink_;
  LineSplitter splitter_;
  TerminalText terminal_;  // used when sink_.terminal
  std::string clean_;      // terminal_'s output, reused
  boost::asio::steady_timer quiet_;  // a partial line is handed on once it runs out
  bool quiet_waiting_ = false;
  bool open_ = true;
  bool pipe_grown_ = false;
  std::weak_ptr<const void> owner_;
  std::string name_;
};

}  // namespace pp
