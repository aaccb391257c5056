// Reading a stack file's yaml-cpp nodes strictly: every wrong type, bad number
// or unknown key is a StackError naming the key by its path
// ("processes.web.availability.max_restarts") and its line.
#pragma once
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stack/stack_spec.hpp"

namespace pp::stack {

int line_of(const YAML::Node& n);  // 1-based, 0 when unknown

// The file being read and where its unsupported keys are collected.
// `unsupported` must outlive the context.
struct YamlContext {
  std::filesystem::path file;
  std::vector<Unsupported>* unsupported;

  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const;
  // Scalars of the expected kind; `path` names the value in messages.
  std::string string(const YAML::Node& v, const std::string& path) const;
  bool boolean(const YAML::Node& v, const std::string& path) const;
  long long integer(const YAML::Node& v, const std::string& path, long long min, long long max) const;
  double number(const YAML::Node& v, const std::string& path, double min) const;
  // Notes one more use of a key persistproc ignores (merged by key).
  void note_unsupported(const std::string& key, const std::string& process, int line) const;
};

struct YamlEntry {
  std::string key;
  YAML::Node key_node;  // for its line
  YAML::Node value;
};

// A mapping's entries in file order: keys must be strings and unique; `<<` merge
// keys (a map or a list of maps, usually aliases) add the keys not set
// explicitly, earlier maps first.
class YamlMap {
 public:
  // Fails unless `node` is a map. `path` is its own path ("" at the top level).
  YamlMap(const YamlContext& cx, const YAML::Node& node, std::string path);

  // Checks every key: a `known` one passes, an `unsupported` one is noted under
  // `key_prefix` + key for `process`, an "x-" extension key passes silently, any
  // other fails naming it and its line.
  void check_keys(const std::vector<std::string_view>& known, const std::vector<std::string_view>& unsupported,
                  const std::string& key_prefix, const std::string& process) const;
  // The value under `key`, or nullopt when it is absent or null.
  std::optional<YAML::Node> get(std::string_view key) const;
  // The path of the value under `key`, for messages.
  std::string path_of(std::string_view key) const;
  const std::vector<YamlEntry>& entries() const { return entries_; }
  const std::string& path() const { return path_; }

 private:
  const YamlContext& cx_;
  std::string path_;
  std::vector<YamlEntry> entries_;
};

// "a list", "a map", "a string", "nothing": a node's kind, for messages.
const char* kind_of(const YAML::Node& n);

}  // namespace pp::stack
