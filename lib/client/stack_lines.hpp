// How `up` shows a stack in the terminal (docs/stacks.md#up-in-the-terminal):
// every line prefixed with its process's name, padded to the longest and each
// name in a colour of its own (the foreman/overmind convention), and one line per
// lifecycle event. Text only; up_command prints it.
#pragma once
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp::client {

class StackLines {
 public:
  // `names` in the stack's order: they pick the colours. `color`: ANSI colours.
  StackLines(std::vector<std::string> names, bool color);

  // A line of `name`'s combined log (stamp and all, without '\n'): the output as
  // the program wrote it, prefixed; nullopt for the log's [SYSTEM] lines, which
  // lifecycle lines replace.
  std::optional<std::string> output(const std::string& name, std::string_view logged) const;
  // A lifecycle notification's data (docs/mcp.md#notifications) as a line, or
  // nullopt for one that says nothing new.
  std::optional<std::string> lifecycle(const std::string& name, const boost::json::object& event) const;
  // A line of persistproc's own about `name` ("" for the stack as a whole).
  std::string note(const std::string& name, std::string_view text) const;

 private:
  std::string prefix(const std::string& name) const;

  std::vector<std::string> names_;
  std::size_t width_ = 0;
  bool color_;
};

// Whether to colour: stdout is a terminal and NO_COLOR is unset or empty.
bool colour_stdout();

}  // namespace pp::client
