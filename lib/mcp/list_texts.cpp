#include "mcp/list_texts.hpp"

#include <boost/json/serialize.hpp>

namespace pp::mcp {

namespace {
// An object's members as text: `{"a":1,"b":2}` less its first or last brace.
void members_text(const json::object& o, bool keep_open, std::string& json, std::string& quoted) {
  std::string all = boost::json::serialize(o);
  json = keep_open ? all.substr(0, all.size() - 1) : all.substr(1);
  quoted.clear();
  append_quoted(quoted, json);
}
}  // namespace

const ListTexts::Entry& ListTexts::entry(const Row& row, Millis now) {
  const Process& p = *row.process;
  Entry& e = entries_[{p.pid(), p.start_time()}];
  e.asked = true;
  if (e.process != &p) {  // new, or another instance that got the same pid and start time
    members_text(fixed_fields(p), true, e.fixed_json, e.fixed_quoted);
    e.process = &p;
    e.made = false;
  }
  EntryState state = entry_state(p, row.live, now);
  if (!e.made || !(state == e.state)) {
    members_text(changing_fields(state), false, e.changing_json, e.changing_quoted);
    e.state = std::move(state);
    e.made = true;
  }
  return e;
}

void ListTexts::write(const std::vector<Row>& rows, Millis now, std::string& out) {
  std::vector<const Entry*> made;
  made.reserve(rows.size());
  for (const auto& r : rows) made.push_back(&entry(r, now));
  out.reserve(out.size() + last_size_);
  std::size_t start = out.size();
  // The text content first, then the same as structuredContent.
  out += R"({\"processes\":[)";
  for (std::size_t i = 0; i < made.size(); ++i) {
    if (i) out += ',';
    out += made[i]->fixed_quoted;
    out += ',';
    out += made[i]->changing_quoted;
  }
  out += "]}";
  response_middle(out);
  out += R"({"processes":[)";
  for (std::size_t i = 0; i < made.size(); ++i) {
    if (i) out += ',';
    out += made[i]->fixed_json;
    out += ',';
    out += made[i]->changing_json;
  }
  out += "]}";
  response_tail(out, false);
  last_size_ = out.size() - start;
  forget_unasked();
}

void ListTexts::forget_unasked() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (std::exchange(it->second.asked, false))
      ++it;
    else
      it = entries_.erase(it);
  }
}

}  // namespace pp::mcp
