#include "mcp/list_texts.hpp"

#include <boost/json/serialize.hpp>
#include <string_view>

#include "core/forget_unasked.hpp"

namespace pp::mcp {

namespace {
// `{"a":1,"b":2}` as `{"a":1,"b":2` (to be continued), in both forms.
void open_text(const json::object& o, std::string& json, std::string& quoted) {
  json = boost::json::serialize(o);
  json.pop_back();
  quoted.clear();
  append_quoted(quoted, json);
}

// `{"c":3}` appended to such an open text as `,"c":3}`.
void close_text(const json::object& o, std::string& json, std::string& quoted) {
  std::string rest = boost::json::serialize(o);
  rest[0] = ',';
  json += rest;
  append_quoted(quoted, rest);
}
}  // namespace

const ListTexts::Entry& ListTexts::entry(const Row& row, Millis now) {
  const Process& p = *row.process;
  Entry& e = entries_[{p.pid(), p.start_time()}];
  e.asked = true;
  if (e.process != &p) {  // new, or another instance that got the same pid and start time
    open_text(fixed_fields(p), e.fixed_json, e.fixed_quoted);
    e.process = &p;
    e.made = false;
  }
  EntryState state = entry_state(p, row.live, now);
  if (!e.made || !(state == e.state)) {
    e.json = e.fixed_json;
    e.quoted = e.fixed_quoted;
    close_text(changing_fields(state), e.json, e.quoted);
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
  auto processes = [&](std::string_view open, std::string Entry::*form) {
    out += open;
    for (std::size_t i = 0; i < made.size(); ++i) {
      if (i) out += ',';
      out += made[i]->*form;
    }
    out += "]}";
  };
  // The text content first, then the same as structuredContent.
  processes(R"({\"processes\":[)", &Entry::quoted);
  response_middle(out);
  processes(R"({"processes":[)", &Entry::json);
  response_tail(out, false);
  last_size_ = out.size() - start;
  forget_unasked(entries_);
}

}  // namespace pp::mcp
