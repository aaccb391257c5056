// `serve --detach`: start the server in the background and return once it is
// ready — known exactly, because the child's stdout is a pipe to us and the
// readiness line arrives on it (docs/service.md#detach). Idempotent when one already answers.
#pragma once
#include "server/serve.hpp"

namespace pp::server {

int serve_detached(const ServeOptions& opts);

}  // namespace pp::server
