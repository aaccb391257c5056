// What `serve` prints before the readiness line: how to connect each agent.
#pragma once
#include <string>

namespace pp::server {

// `token` empty means authentication is off (and the banner says so).
std::string connect_banner(const std::string& url, const std::string& data_dir, const std::string& token);

}  // namespace pp::server
