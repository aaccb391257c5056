// Says who holds a TCP port on loopback, for the "port in use" message.
#pragma once
#include <string>

namespace pp::server {

// "a persistproc server (PID 12), "nginx (PID 34)" or "another program".
std::string describe_port_holder(int port);

}  // namespace pp::server
