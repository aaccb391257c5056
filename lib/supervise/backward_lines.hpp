// Walks a stretch of a log from its end towards its start, a block of whole lines
// at a time: the tail, the search and the index lookups all read this way, so the
// last lines of a log cost one block whatever its size (docs/logs.md#reading).
//
// next() returns the lines just before those it returned last: whole lines (each
// with its '\n'; a file cut short may end without one), never empty; "" once the
// start is reached. A line that begins before the block read is carried into the
// next read, so a line longer than a block comes whole. The lines are a view into
// the one buffer the cursor reuses, valid until the next call; so a caller can stop
// between two calls, or go on later, at no cost (position() says how far it got).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "supervise/log_range.hpp"

namespace pp {

class BackwardLines {
 public:
  // Over [floor, end) of `log`; both must be line starts (or the range's end).
  // Reads `block` bytes at a time, more only while carrying a longer line.
  BackwardLines(const LogRange& log, std::uint64_t floor, std::uint64_t end, std::size_t block);

  std::string_view next();
  // Where the lines returned so far begin: they are [position(), end).
  std::uint64_t position() const { return position_; }
  // The offset in the log of a line of the block next() returned last.
  std::uint64_t offset_of(std::string_view line) const {
    return position_ + static_cast<std::uint64_t>(line.data() - (buf_.data() + returned_at_));
  }

 private:
  const LogRange& log_;
  std::uint64_t floor_;
  std::uint64_t read_from_;  // everything from here to `end` has been read
  std::uint64_t position_;
  std::size_t block_;
  std::vector<char> buf_;
  std::size_t carried_ = 0;      // buf_[0, carried_): the end of a line that starts before read_from_
  std::size_t returned_at_ = 0;  // where in buf_ the last block returned starts
};

// Takes the last line off a block of whole lines and returns it.
std::string_view pop_last_line(std::string_view& lines);

}  // namespace pp
