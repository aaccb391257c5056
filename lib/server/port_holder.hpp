// Says who holds a TCP port on loopback, for the "port in use" message.
#pragma once
#include <optional>
#include <string>

namespace pp::server {

// "a persistproc server (PID 12), "nginx (PID 34)" or "another program".
// `token` is sent when asking the holder over MCP whether it is persistproc.
std::string describe_port_holder(int port, const std::optional<std::string>& token);

}  // namespace pp::server
