// A pipe's capacity read and set through os/pipe_size.hpp; a descriptor that is
// not a pipe has none.
#include "os/pipe_size.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace pp::os {
namespace {

TEST(PipeCapacity, IsReadAndSetOnEitherEnd) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  EXPECT_EQ(pipe_capacity(fds[0]), 64 * 1024);
  EXPECT_TRUE(set_pipe_capacity(fds[0], 1024 * 1024));
  EXPECT_EQ(pipe_capacity(fds[1]), 1024 * 1024);
  // Fewer bytes than it holds: refused, and it stays as it was.
  std::string bytes(100 * 1024, 'x');
  ASSERT_EQ(::write(fds[1], bytes.data(), bytes.size()), ssize_t(bytes.size()));
  EXPECT_FALSE(set_pipe_capacity(fds[0], 64 * 1024));
  EXPECT_EQ(pipe_capacity(fds[0]), 1024 * 1024);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(PipeCapacity, ADescriptorThatIsNotAPipeHasNone) {
  int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(pipe_capacity(fd), -1);
  EXPECT_FALSE(set_pipe_capacity(fd, 1024 * 1024));
  ::close(fd);
}

}  // namespace
}  // namespace pp::os
