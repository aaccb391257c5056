// The one EINTR retry: a system call interrupted by a signal handler is simply
// made again. `f` returns the call's result; negative with errno set on failure.
#pragma once
#include <cerrno>

namespace pp {

template <class F>
auto retry_eintr(F&& f) {
  for (;;) {
    auto r = f();
    if (!(r < 0 && errno == EINTR)) return r;
  }
}

}  // namespace pp
