// Listening sockets come from NETLINK_SOCK_DIAG (LISTEN only) and must match what
// the kernel says of a socket this test holds, for IPv4 and IPv6 alike.
#include "os/port_owner.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/test_support.hpp"

namespace pp::test {
namespace {

std::string link_of(int fd) {
  struct stat st {};
  EXPECT_EQ(::fstat(fd, &st), 0);
  return "socket:[" + std::to_string(st.st_ino) + "]";
}

TEST(PortOwner, AListeningIpv4SocketIsFoundWithItsPort) {
  LoopbackListener l;
  auto sockets = listening_sockets();
  ASSERT_TRUE(sockets.contains(link_of(l.fd())));
  EXPECT_EQ(sockets.at(link_of(l.fd())), l.port());
  EXPECT_EQ(listening_ports({static_cast<int>(::getpid())}, sockets), std::vector<int>{l.port()});
}

TEST(PortOwner, AListeningIpv6SocketIsFoundAndAConnectedOneIsNot) {
  int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    GTEST_SKIP() << "no IPv6 loopback on this machine";
  }
  ASSERT_EQ(::listen(fd, 4), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  int client = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  auto sockets = listening_sockets();
  ASSERT_TRUE(sockets.contains(link_of(fd)));
  EXPECT_EQ(sockets.at(link_of(fd)), ntohs(a.sin6_port));
  EXPECT_FALSE(sockets.contains(link_of(client)));  // established, not listening
  ::close(client);
  ::close(fd);
}

}  // namespace
}  // namespace pp::test
