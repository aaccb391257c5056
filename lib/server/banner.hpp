// What `serve` prints before the readiness line: how to connect each agent.
#pragma once
#include <string>

namespace pp::server {

std::string connect_banner(const std::string& url, const std::string& data_dir);
std::string readiness_line(const std::string& url);

}  // namespace pp::server
