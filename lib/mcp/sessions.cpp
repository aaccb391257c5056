#include "mcp/sessions.hpp"

#include "core/token.hpp"

namespace pp::mcp {

bool SessionTable::make_room() {
  auto now = std::chrono::steady_clock::now();
  std::erase_if(sessions_, [&](const auto& kv) { return now - kv.second.last_used >= idle_expiry_; });
  while (sessions_.size() >= max_sessions_) {  // full of live sessions: the least recently used goes
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
      if (it->second.use_order < oldest->second.use_order) oldest = it;
    if (now - oldest->second.last_used < protect_recent_) return false;
    sessions_.erase(oldest);
  }
  return true;
}

const std::string* SessionTable::create(std::string protocol_version) {
  if (!make_room()) return nullptr;
  std::string id = random_hex(16);
  auto [it, _] = sessions_.emplace(id, Session{std::move(protocol_version), false, std::chrono::steady_clock::now(), ++uses_});
  return &it->first;
}

const Session* SessionTable::peek(const std::string& id) const {
  auto it = sessions_.find(id);
  if (it == sessions_.end() || std::chrono::steady_clock::now() - it->second.last_used >= idle_expiry_) return nullptr;
  return &it->second;
}

Session* SessionTable::find(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  auto now = std::chrono::steady_clock::now();
  if (now - it->second.last_used >= idle_expiry_) {
    sessions_.erase(it);
    return nullptr;
  }
  it->second.last_used = now;
  it->second.use_order = ++uses_;
  return &it->second;
}

bool SessionTable::erase(const std::string& id) { return sessions_.erase(id) > 0; }

}  // namespace pp::mcp
