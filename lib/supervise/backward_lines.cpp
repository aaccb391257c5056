#include "supervise/backward_lines.hpp"

#include <algorithm>
#include <cstring>

namespace pp {

namespace {

// Room beyond one block, so that carrying the usual short piece of a line does not
// grow the buffer.
constexpr std::size_t kSlack = 4096;

}  // namespace

BackwardLines::BackwardLines(const LogRange& log, std::uint64_t floor, std::uint64_t end, std::size_t block)
    : log_(log), floor_(floor), read_from_(end), position_(end), block_(block) {}

std::string_view BackwardLines::next() {
  while (read_from_ > floor_) {
    // The block before what has been read goes in front of the carried bytes. While
    // a line is longer than a block, each read is as long as what is carried, so the
    // reads double and that line costs time in proportion to its length.
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(std::max(block_, carried_), read_from_ - floor_));
    // One buffer for the whole walk: a fresh megabyte a block would cost a page fault
    // a page, several times the search itself.
    if (buf_.size() < n + carried_) buf_.resize(std::max(n + carried_, block_ + kSlack));
    std::memmove(buf_.data() + n, buf_.data(), carried_);
    if (log_.read(read_from_ - n, buf_.data(), n) < n) break;  // a file shorter than its index says
    read_from_ -= n;
    std::string_view got(buf_.data(), n + carried_);
    // Up to its first newline, the block ends a line that starts further back: that
    // piece is carried to the next read, unless nothing lies further back.
    std::size_t cut = 0;
    if (read_from_ > floor_) {
      std::size_t nl = got.find('\n');
      if (nl == std::string_view::npos || nl + 1 == got.size()) {  // all of it one line
        carried_ = got.size();
        continue;
      }
      cut = nl + 1;
    }
    carried_ = cut;
    returned_at_ = cut;
    position_ = read_from_ + cut;
    return got.substr(cut);
  }
  // Done; after a short read, what is left is given up, so later calls stay done.
  floor_ = read_from_;
  carried_ = 0;
  return {};
}

std::string_view pop_last_line(std::string_view& lines) {
  // The last byte is the '\n' that ends the last line (at the end of a file cut
  // short, the last byte of that line), so the newline before the line is searched
  // for from the byte before it.
  std::size_t nl = lines.size() >= 2 ? lines.rfind('\n', lines.size() - 2) : std::string_view::npos;
  std::string_view line = lines.substr(nl == std::string_view::npos ? 0 : nl + 1);
  lines.remove_suffix(line.size());
  return line;
}

}  // namespace pp
