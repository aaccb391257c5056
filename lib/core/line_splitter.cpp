#include "core/line_splitter.hpp"

#include "core/utf8.hpp"

namespace pp {

void LineSplitter::emit(std::string_view raw, const Sink& sink) {
  // Valid already, as nearly all output is: handed on as it is, not copied.
  if (valid_utf8_prefix(raw) == raw.size()) {
    sink(raw);
    return;
  }
  scratch_.clear();
  append_valid_utf8(scratch_, raw);
  sink(scratch_);
}

void LineSplitter::feed(std::string_view bytes, const Sink& sink) {
  // The end of the valid UTF-8 that starts at a line start in this chunk: a line
  // that ends inside it is valid (its newline cannot be part of a character)
  // and is handed on with no check of its own. A chunk of short lines is checked
  // in one pass instead of one call per line.
  const char* valid_end = bytes.data();
  const char* const end = bytes.data() + bytes.size();
  while (!bytes.empty()) {
    auto nl = bytes.find('\n');
    std::string_view piece = nl == std::string_view::npos ? bytes : bytes.substr(0, nl);
    // "\r\n" ends a line like "\n"; the '\r' is neither content nor counted against max_line_.
    std::size_t consumed = nl == std::string_view::npos ? piece.size() : nl + 1;
    if (nl != std::string_view::npos && !piece.empty() && piece.back() == '\r')
      piece.remove_suffix(1);
    else if (nl == 0 && !pending_.empty() && pending_.back() == '\r')
      pending_.pop_back();  // the '\r' arrived in the previous chunk
    std::size_t room = max_line_ - pending_.size();
    if (piece.size() > room) {
      // Over-long line: emit max_line_ bytes (less a character cut short) and go on.
      pending_.append(piece.substr(0, room));
      std::size_t cut = complete_prefix_len(pending_);
      std::string carry = pending_.substr(cut);
      pending_.resize(cut);
      emit(pending_, sink);
      pending_ = std::move(carry);
      bytes.remove_prefix(room);
      continue;
    }
    if (nl == std::string_view::npos) {
      pending_.append(piece);
      return;
    }
    if (pending_.empty()) {
      const char* piece_end = piece.data() + piece.size();
      if (piece_end > valid_end)
        valid_end = piece.data() + valid_utf8_prefix({piece.data(), static_cast<std::size_t>(end - piece.data())});
      if (piece_end <= valid_end)
        sink(piece);
      else
        emit(piece, sink);
    } else {
      pending_.append(piece);
      emit(pending_, sink);
      pending_.clear();
    }
    bytes.remove_prefix(consumed);
  }
}

void LineSplitter::flush(const Sink& sink) {
  if (pending_.empty()) return;
  emit(pending_, sink);
  pending_.clear();
}

}  // namespace pp
