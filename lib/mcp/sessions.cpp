#include "mcp/sessions.hpp"

#include <sys/random.h>

#include <cstdio>

namespace pp::mcp {

namespace {
std::string random_hex(std::size_t bytes) {
  unsigned char buf[32];
  std::size_t got = 0;
  while (got < bytes) {
    ssize_t n = ::getrandom(buf + got, bytes - got, 0);
    if (n > 0) got += static_cast<std::size_t>(n);
  }
  std::string out;
  char hex[3];
  for (std::size_t i = 0; i < bytes; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", buf[i]);
    out += hex;
  }
  return out;
}
}  // namespace

const std::string& SessionTable::create(std::string protocol_version) {
  std::string id = random_hex(16);
  auto [it, _] = sessions_.emplace(id, Session{std::move(protocol_version), false});
  return it->first;
}

Session* SessionTable::find(const std::string& id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

bool SessionTable::erase(const std::string& id) { return sessions_.erase(id) > 0; }

}  // namespace pp::mcp
