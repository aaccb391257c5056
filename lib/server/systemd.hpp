// The two systemd protocols, without libsystemd: readiness notification over
// $NOTIFY_SOCKET (one datagram per state) and socket activation ($LISTEN_FDS).
#pragma once
#include <string>

namespace pp::server {

// Reads and clears NOTIFY_SOCKET, LISTEN_FDS and LISTEN_PID so the processes we
// start do not inherit them. Call once, first thing in serve.
void take_systemd_environment();

// Sends e.g. "READY=1" when systemd asked for notifications; does nothing otherwise.
void sd_notify(const std::string& state);

// The listening socket systemd passed us (fd 3), or -1.
int activated_socket();

}  // namespace pp::server
