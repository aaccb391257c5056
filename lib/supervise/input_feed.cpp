#include "supervise/input_feed.hpp"

#include <unistd.h>

#include <cerrno>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/background.hpp"
#include "core/eintr.hpp"

namespace pp {

namespace asio = boost::asio;

InputFeed::InputFeed(asio::posix::stream_descriptor fd, std::function<void(const std::string&)> failed)
    : fd_(std::move(fd)), failed_(std::move(failed)) {
  boost::system::error_code ignore;  // a closed descriptor simply makes every write `ended`
  if (fd_.is_open()) fd_.non_blocking(true, ignore);
}

long InputFeed::write_some(std::string_view bytes) {
  // SIGPIPE is ignored by the server (serve.cpp), so a vanished reader is EPIPE here.
  ssize_t n = retry_eintr([&] { return ::write(fd_.native_handle(), bytes.data(), bytes.size()); });
  if (n >= 0) return n;
  return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
}

InputFeed::Result InputFeed::write(std::string_view text, const std::shared_ptr<const void>& owner,
                                   const std::string& name) {
  if (!fd_.is_open()) return Result::ended;
  if (pending_.empty()) {
    long n = write_some(text);
    if (n < 0) {
      close();
      return Result::refused;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  if (text.empty()) return Result::written;
  if (pending_.size() + text.size() > kMaxPending) return Result::not_reading;
  pending_.append(text);
  if (!flushing_) {
    flushing_ = true;
    run_in_background(fd_.get_executor(), flush_when_writable(), "writing the input of " + name, owner,
                      {failed_, nullptr});
  }
  return Result::written;
}

asio::awaitable<void> InputFeed::flush_when_writable() {
  while (fd_.is_open() && !pending_.empty()) {
    auto [ec] = co_await fd_.async_wait(asio::posix::descriptor_base::wait_write, asio::as_tuple(asio::use_awaitable));
    if (ec || !fd_.is_open()) break;
    long n = write_some(pending_);
    if (n < 0) {
      close();
      break;
    }
    pending_.erase(0, static_cast<std::size_t>(n));
  }
  flushing_ = false;
}

void InputFeed::close() {
  pending_.clear();
  boost::system::error_code ignore;
  fd_.close(ignore);  // cancels a pending wait: the flushing coroutine ends
}

}  // namespace pp
