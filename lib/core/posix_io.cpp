#include "core/posix_io.hpp"

#include <sys/types.h>
#include <unistd.h>

#include <cerrno>

#include "core/eintr.hpp"

namespace pp {

std::size_t write_all(int fd, std::string_view data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = retry_eintr([&] { return ::write(fd, data.data() + done, data.size() - done); });
    if (n <= 0) {
      if (n == 0) errno = EIO;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::size_t pread_full(int fd, char* dst, std::size_t len, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < len) {
    ssize_t n = retry_eintr([&] { return ::pread(fd, dst + got, len - got, static_cast<off_t>(offset + got)); });
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

bool read_to_end(int fd, std::string& out) {
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = retry_eintr([&] { return ::read(fd, buf, sizeof buf); });
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace pp
