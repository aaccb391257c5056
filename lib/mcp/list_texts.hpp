// list's entries kept as text between calls: an entry is made (built and
// serialized) again only when what it says changed, otherwise its text from the
// last call is appended as it is, so a `list` of a hundred idle processes costs
// a few appends each, not a hundred JSON objects built and serialized twice
// (docs/architecture.md#list).
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "mcp/tool_text.hpp"
#include "mcp/tools.hpp"

namespace pp::mcp {

class ListTexts {
 public:
  struct Row {
    const Process* process;
    const InstanceFacts* live;  // nullptr for an ended process
  };
  // Appends to `out`, a response's head, the rest of the response to a list of
  // `rows` (as append_result would). `now`: the call's time, for uptimes.
  // Forgets the processes not in `rows` (they ended or were filtered out), so
  // the cache stays the size of the table.
  void write(const std::vector<Row>& rows, Millis now, std::string& out);

 private:
  struct Entry {
    const Process* process = nullptr;
    std::string fixed_json, fixed_quoted;  // fixed_fields without the closing brace
    EntryState state;
    std::string json, quoted;  // the whole entry: fixed_json, a comma, changing_fields less its opening brace
    bool made = false, asked = false;
  };
  const Entry& entry(const Row& row, Millis now);

  std::map<std::pair<int, Millis>, Entry> entries_;  // by pid and start time
  std::size_t last_size_ = 0;                        // of the last response, to reserve
};

}  // namespace pp::mcp
