#include "core/line_splitter.hpp"

#include "core/utf8.hpp"

namespace pp {

void LineSplitter::emit(std::string_view raw, const Sink& sink) {
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  scratch_.clear();
  append_valid_utf8(scratch_, raw);
  sink(scratch_);
}

void LineSplitter::feed(std::string_view bytes, const Sink& sink) {
  while (!bytes.empty()) {
    auto nl = bytes.find('\n');
    std::string_view piece = nl == std::string_view::npos ? bytes : bytes.substr(0, nl);
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
      emit(piece, sink);
    } else {
      pending_.append(piece);
      emit(pending_, sink);
      pending_.clear();
    }
    bytes.remove_prefix(nl + 1);
  }
}

void LineSplitter::flush(const Sink& sink) {
  if (pending_.empty()) return;
  emit(pending_, sink);
  pending_.clear();
}

}  // namespace pp
