// DNS-rebinding defence (docs/security.md#host-and-origin): only loopback Host and Origin values are served.
#pragma once
#include <string_view>

namespace pp::http {

// `localhost`, `127.0.0.1` or `[::1]`, each with or without `:port`.
bool is_loopback_host(std::string_view host);
// An Origin header value whose host is loopback (scheme http or https), or "null"-free.
bool is_loopback_origin(std::string_view origin);

}  // namespace pp::http
