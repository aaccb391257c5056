#include "client/stdin_reader.hpp"

#include <signal.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/eintr.hpp"

namespace pp::client {

struct StdinReader::Shared {
  boost::asio::any_io_executor ex;
  int fd;
  Deliver deliver;  // used on ex's thread only
  std::mutex m;
  std::condition_variable cv;
  bool closed = false;   // under m
  bool may_read = true;  // under m

  void post(std::optional<std::string> chunk, const std::shared_ptr<Shared>& self) {
    std::lock_guard lock(m);
    if (closed) return;
    // Under the lock, so the executor is still alive: closed is set before it goes.
    boost::asio::post(ex, [self, chunk = std::move(chunk)]() mutable {
      if (!self->closed) self->deliver(std::move(chunk));  // closed is set on this thread too
    });
  }

  static void loop(std::shared_ptr<Shared> self) {
    char buf[64 * 1024];
    for (;;) {
      {
        std::unique_lock lock(self->m);
        self->cv.wait(lock, [&] { return self->may_read || self->closed; });
        if (self->closed) return;
        self->may_read = false;
      }
      ssize_t n = retry_eintr([&] { return ::read(self->fd, buf, sizeof buf); });
      // On a terminal 0 bytes is Ctrl+D (or a hangup): the receiver decides.
      if (n == 0 && ::isatty(self->fd) == 1) {
        self->post(std::string(), self);
        continue;
      }
      if (n <= 0) return self->post(std::nullopt, self);
      self->post(std::string(buf, static_cast<std::size_t>(n)), self);
    }
  }
};

StdinReader::StdinReader(boost::asio::any_io_executor ex, int fd, Deliver deliver)
    : shared_(std::make_shared<Shared>()) {
  shared_->ex = std::move(ex);
  shared_->fd = fd;
  shared_->deliver = std::move(deliver);
}

StdinReader::~StdinReader() {
  std::lock_guard lock(shared_->m);
  shared_->closed = true;
  shared_->deliver = nullptr;
  shared_->cv.notify_all();
}

void StdinReader::start() {
  if (started_) return;
  started_ = true;
  // The thread takes no signals: they are for the io thread's signal_set, and one
  // landing here would only interrupt the read.
  sigset_t all, before;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &before);
  std::thread(Shared::loop, shared_).detach();
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

void StdinReader::more() {
  std::lock_guard lock(shared_->m);
  shared_->may_read = true;
  shared_->cv.notify_all();
}

}  // namespace pp::client
