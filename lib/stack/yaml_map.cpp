#include "stack/yaml_map.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <iterator>

#include "stack/stack_error.hpp"

namespace pp::stack {

int line_of(const YAML::Node& n) {
  YAML::Mark m = n.Mark();
  return m.is_null() ? 0 : m.line + 1;
}

const char* kind_of(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Scalar: return "a string";
    default: return "nothing";
  }
}

void YamlContext::fail(const YAML::Node& at, const std::string& message) const {
  fail_at(file, line_of(at), message);
}

std::string YamlContext::string(const YAML::Node& v, const std::string& path) const {
  if (!v.IsScalar()) fail(v, path + " must be a string, not " + kind_of(v));
  return v.Scalar();
}

bool YamlContext::boolean(const YAML::Node& v, const std::string& path) const {
  bool b = false;
  // yaml-cpp's own reading: true/false, yes/no, on/off in their usual cases.
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b))
    fail(v, path + " must be true or false, not " + (v.IsScalar() ? "'" + v.Scalar() + "'" : kind_of(v)));
  return b;
}

long long YamlContext::integer(const YAML::Node& v, const std::string& path, long long min, long long max) const {
  std::string range = min == 0 && max >= INT_MAX   ? "a non-negative integer"
                      : min == 1 && max >= INT_MAX ? "a positive integer"
                                                   : "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (!v.IsScalar()) fail(v, path + " must be " + range + ", not " + kind_of(v));
  const std::string& s = v.Scalar();
  long long n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || n < min || n > max)
    fail(v, path + " must be " + range + ", not '" + s + "'");
  return n;
}

double YamlContext::number(const YAML::Node& v, const std::string& path, double min) const {
  std::string want = min == 0 ? "a non-negative number" : "a number of at least " + std::to_string(min);
  if (!v.IsScalar()) fail(v, path + " must be " + want + ", not " + kind_of(v));
  const std::string& s = v.Scalar();
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(d) || d < min)
    fail(v, path + " must be " + want + ", not '" + s + "'");
  return d;
}

void YamlContext::note_unsupported(const std::string& key, const std::string& process, int line) const {
  auto it = std::find_if(unsupported->begin(), unsupported->end(), [&](const Unsupported& u) {
    return u.key == key && u.processes.empty() == process.empty();  // top-level and per-process keys apart
  });
  if (it == unsupported->end()) {
    unsupported->push_back({key, {}, line});
    it = std::prev(unsupported->end());
  }
  if (!process.empty() && std::find(it->processes.begin(), it->processes.end(), process) == it->processes.end())
    it->processes.push_back(process);
}

namespace {

bool is_merge_key(const YAML::Node& key) { return key.IsScalar() && key.Scalar() == "<<" && key.Tag() == "?"; }

}  // namespace

YamlMap::YamlMap(const YamlContext& cx, const YAML::Node& node, std::string path) : cx_(cx), path_(std::move(path)) {
  std::string name = path_.empty() ? "the file" : path_;
  if (!node.IsMap()) cx_.fail(node, name + " must be a map, not " + kind_of(node));
  std::vector<YAML::Node> merged;
  // Copies, not references: yaml-cpp's `it->first` lives in a temporary proxy.
  for (const auto& kv : node) {
    YAML::Node key = kv.first;
    YAML::Node value = kv.second;
    if (is_merge_key(key)) {
      if (value.IsSequence()) {
        for (const auto& m : value) merged.push_back(m);
      } else {
        merged.push_back(value);
      }
      continue;
    }
    if (!key.IsScalar()) cx_.fail(key, "a key of " + name + " must be a string, not " + kind_of(key));
    if (std::any_of(entries_.begin(), entries_.end(), [&](const YamlEntry& e) { return e.key == key.Scalar(); }))
      cx_.fail(key, "duplicate key '" + key.Scalar() + "' in " + name);
    entries_.push_back({key.Scalar(), key, value});
  }
  for (const auto& m : merged) {
    if (!m.IsMap()) cx_.fail(m, "a merge key (<<) in " + name + " must refer to a map, not " + kind_of(m));
    YamlMap inner(cx_, m, path_);
    for (const auto& e : inner.entries())
      if (std::none_of(entries_.begin(), entries_.end(), [&](const YamlEntry& x) { return x.key == e.key; }))
        entries_.push_back(e);
  }
}

void YamlMap::check_keys(const std::vector<std::string_view>& known,
                         const std::vector<std::string_view>& unsupported, const std::string& key_prefix,
                         const std::string& process) const {
  auto in = [](const std::vector<std::string_view>& list, const std::string& k) {
    return std::find(list.begin(), list.end(), k) != list.end();
  };
  for (const auto& e : entries_) {
    if (in(known, e.key) || e.key.starts_with("x-")) continue;
    if (in(unsupported, e.key)) {
      cx_.note_unsupported(key_prefix + e.key, process, line_of(e.key_node));
      continue;
    }
    cx_.fail(e.key_node, "unknown key '" + e.key + "' " + (path_.empty() ? "at the top level" : "in " + path_));
  }
}

std::optional<YAML::Node> YamlMap::get(std::string_view key) const {
  for (const auto& e : entries_)
    if (e.key == key) return e.value.IsNull() ? std::nullopt : std::optional<YAML::Node>(e.value);
  return std::nullopt;
}

std::string YamlMap::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

}  // namespace pp::stack
