#include "stack/read_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "stack/stack_error.hpp"

namespace pp::stack {

std::optional<std::string> read_text_if_present(const std::filesystem::path& file) {
  std::error_code ec;
  auto st = std::filesystem::status(file, ec);
  if (st.type() == std::filesystem::file_type::not_found) return std::nullopt;
  if (ec) fail_at(file, 0, "cannot read: " + ec.message());
  if (st.type() == std::filesystem::file_type::directory) fail_at(file, 0, "cannot read: it is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail_at(file, 0, std::string("cannot read: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail_at(file, 0, "cannot read: read error");
  return std::move(text).str();
}

std::string read_text(const std::filesystem::path& file, const std::string& what) {
  auto text = read_text_if_present(file);
  if (!text) fail_at(file, 0, what + " does not exist");
  return std::move(*text);
}

}  // namespace pp::stack
