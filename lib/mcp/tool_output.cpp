// The `output` tool: the last lines of a process's log, optionally in a time window
// or only those matching a pattern. The lookup and the opening of the log happen on
// the I/O thread; the reading, whose cost grows with the log, on a worker
// (docs/architecture.md#worker-threads).
#include <functional>
#include <optional>

#include "mcp/args.hpp"
#include "mcp/tools.hpp"
#include "supervise/log_reader.hpp"
#include "supervise/raw_log.hpp"

namespace pp::mcp {

namespace {
constexpr std::int64_t kMaxLines = 100000;

json::object output_result(const ReadResult& r) {
  json::array lines;
  for (const auto& l : r.lines) lines.emplace_back(l);
  return {{"output", std::move(lines)},
          {"lines_before", r.lines_before},
          {"lines_after", r.lines_after},
          {"error", r.error.empty() ? json::value(nullptr) : json::value(r.error)}};
}

json::object output_error(const std::string& message) {
  ReadResult r;
  r.error = message;
  return output_result(r);
}

std::optional<Millis> read_time(const Args& a, const char* name) {
  auto s = a.str(name);
  if (!s) return std::nullopt;
  auto t = parse_iso(*s);
  if (!t) throw RpcError{kInvalidParams, std::string("'") + name + "' is not an ISO-8601 time: '" + *s + "'"};
  return t;
}

// What a call does on the I/O thread: check the arguments, find the process and
// open its log. Either the answer already (an error) or the reading, for a worker.
struct Prepared {
  std::optional<json::object> answer;
  std::function<ReadResult()> work;
};

Prepared answered(const std::string& error) { return {output_error(error), nullptr}; }

Prepared prepare(Supervisor& sup, const ServerSelf& self, const OutputReading& reading, const json::object& o) {
  Args a(o);
  a.only({"stream", "lines", "before_time", "since_time", "pid", "command_or_label", "working_directory",
          "pattern", "raw"});
  bool raw = a.boolean("raw").value_or(false);
  std::string stream = a.str("stream").value_or("combined");
  Stream which;
  if (stream == "stdout")
    which = Stream::out;
  else if (stream == "stderr")
    which = Stream::err;
  else if (stream == "combined")
    which = Stream::combined;
  else
    throw RpcError{kInvalidParams, "'stream' must be stdout, stderr or combined"};
  ReadQuery q;
  q.lines = static_cast<std::uint64_t>(a.integer("lines", 0, kMaxLines).value_or(100));
  q.since = read_time(a, "since_time");
  q.before = read_time(a, "before_time");
  Target target = read_target(o);
  std::shared_ptr<const Pattern> pattern;
  if (auto text = a.str("pattern")) {
    std::string err;
    pattern = Pattern::compile(*text, err);
    if (!pattern) return answered("pattern: " + err + ".");
    q.pattern = pattern.get();
  }

  // A snapshot of the log: its files open, with copies of the writer's indexes
  // taken now, between two writes. The worker reads that while this thread goes
  // on writing the files.
  auto range = std::make_shared<LogRange>();
  if (target.pid && *target.pid == 0) {
    if (which != Stream::combined) return answered("The server has only a combined log.");
    if (std::string err = range->open(self.log_path, self.log ? &self.log->index() : nullptr,
                                      self.log ? self.log->backup_index() : nullptr);
        !err.empty())
      return answered(err);
  } else {
    auto found = sup.find(target);
    if (!found.process) return answered(found.error);
    if (raw) {
      std::string path = found.process->logs().tty_path;
      if (path.empty())
        return answered("Process " + std::to_string(found.process->pid()) +
                      " runs without a terminal: it has no raw output (start it with tty: true).");
      if (q.since || q.before || q.pattern || a.str("stream"))
        return answered("raw output has no time stamps or streams: give only lines with raw.");
      // At most kRawTailBytes, but file reads all the same: on a worker too.
      return {std::nullopt, [path, lines = q.lines] { return read_raw_tail(path, lines); }};
    }
    if (std::string err = found.process->open_log(which, *range); !err.empty())
      return answered(err);
  }
  return {std::nullopt, [range, q, pattern, limit = reading.budget, on_block = reading.on_block,
                         stop = &reading.pool->stopping()] {
            ReadBudget budget(limit, on_block, stop);  // counted from when a worker takes the call up
            return read_range(*range, q, budget);
          }};
}

boost::asio::awaitable<json::object> call_output(Supervisor& sup, const ServerSelf& self, const OutputReading& reading,
                                                 const json::object& o) {
  Prepared p = prepare(sup, self, reading, o);
  if (p.answer) co_return std::move(*p.answer);
  ReadResult r = co_await reading.pool->run(std::move(p.work));
  co_return output_result(r);
}

}  // namespace

Tool make_output_tool(Supervisor& sup, const ServerSelf& self, const OutputReading& reading) {
  Tool t;
  t.name = "output";
  t.title = "Read a process's output";
  t.annotations = {{"readOnlyHint", true}, {"openWorldHint", false}};
  t.description =
      "Read a process's captured output (each line prefixed with its UTC time stamp). stream is "
      "stdout, stderr or combined (default). Returns the last `lines` lines (default 100), optionally only "
      "those at or after since_time and before before_time (ISO-8601, UTC when no zone). lines_before and "
      "lines_after count the lines outside the returned window, for paging; one answer holds at most 4 MiB of lines. "
      "pid 0 reads the server's own log. pattern (a regular expression, RE2 syntax) keeps only matching lines, "
      "searched from the end: the last `lines` matches, with lines_before/lines_after counting matches. A process "
      "that has ended (crashed) is still found by its label. raw=true (a process started with tty) reads the raw "
      "terminal output instead, colours and all, without stamps: the last `lines` lines only (no times, no pattern).\n"
      "Example: {\"command_or_label\": \"npm run dev\", \"lines\": 50}\n"
      "Example: {\"command_or_label\": \"dev-server\", \"pattern\": \"(?i)error|warn\", \"lines\": 20}";
  json::object props;
  props["stream"] = {{"type", "string"},
                     {"enum", json::array{"stdout", "stderr", "combined", nullptr}},
                     {"default", "combined"}};
  props["lines"] = {{"type", "integer"}, {"minimum", 0}, {"maximum", kMaxLines}, {"default", 100}};
  props["since_time"] = {{"type", "string"}, {"description", "Inclusive lower bound, ISO-8601."}};
  props["before_time"] = {{"type", "string"}, {"description", "Exclusive upper bound, ISO-8601."}};
  props["pattern"] = {{"type", "string"},
                      {"maxLength", Pattern::kMaxLength},
                      {"description", "Only lines matching this regular expression (RE2), like grep."}};
  props["raw"] = {{"type", "boolean"}, {"default", false},
                  {"description", "A process on a terminal: its raw output (.tty file), escape sequences kept."}};
  add_target_properties(props);
  t.input_schema = {{"type", "object"}, {"properties", std::move(props)}, {"additionalProperties", false}};
  json::object out;
  out["output"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
  out["lines_before"] = {{"type", "integer"}};
  out["lines_after"] = {{"type", "integer"}};
  out["error"] = nullable_type("string");
  t.output_schema = {{"type", "object"},
                     {"properties", std::move(out)},
                     {"required", json::array{"output", "lines_before", "lines_after", "error"}}};

  t.call = [&sup, &self, &reading](const json::object& o) { return call_output(sup, self, reading, o); };
  return t;
}

}  // namespace pp::mcp
