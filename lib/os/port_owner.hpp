// Which local processes hold a listening TCP socket on a port, from /proc (only
// processes whose descriptors we may read, i.e. our own user's unless root).
#pragma once
#include <map>
#include <string>
#include <vector>

namespace pp {

std::vector<int> listening_pids(int port);
// Every listening TCP socket (IPv4 and IPv6): its "socket:[inode]" link text -> port.
using ListeningSockets = std::map<std::string, int>;
ListeningSockets listening_sockets();
// TCP ports on which any of `pids` holds a listening socket, ascending, unique.
std::vector<int> listening_ports(const std::vector<int>& pids, const ListeningSockets& sockets);
std::vector<int> listening_ports(const std::vector<int>& pids);
std::string process_name(int pid);  // /proc/<pid>/comm, "" when unknown
std::string process_exe_name(int pid);  // file name of /proc/<pid>/exe, "" when unknown

}  // namespace pp
