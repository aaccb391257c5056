// Process lifecycle as MCP notifications: every start, exit and restart goes to
// the clients' SSE streams as notifications/message with structured data.
#pragma once
#include "mcp/server.hpp"
#include "supervise/supervisor.hpp"

namespace pp::mcp {

// The `data` of the notification, and its level (an index into kLogLevels):
// info for starts, restarts and clean exits, notice for stops (also of a wait for
// a policy's restart), error for crashes and failed restarts.
json::object lifecycle_data(const Lifecycle& e);
int lifecycle_level(const Lifecycle& e);

// Wires `sup`'s lifecycle to `server`'s notifications.
void publish_lifecycle(Supervisor& sup, Server& server);

}  // namespace pp::mcp
