#include "http/connections.hpp"

namespace pp::http {

Connections::Handle Connections::add(boost::asio::ip::tcp::socket& socket) {
  ++open_;
  return entries_.insert(entries_.end(), Entry{&socket});
}

void Connections::remove(Handle h) {
  if (!h->closing) --open_;
  entries_.erase(h);
}

bool Connections::evict_oldest_untrusted() {
  for (auto& e : entries_) {
    if (e.trusted || e.closing) continue;
    e.closing = true;
    --open_;
    boost::system::error_code ignore;
    e.socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignore);
    e.socket->cancel(ignore);
    return true;
  }
  return false;
}

}  // namespace pp::http
