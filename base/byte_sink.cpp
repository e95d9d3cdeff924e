#include "base/byte_sink.h"

namespace trust::base {

void TrailingNewlines::Write(std::string_view bytes) {
  size_t text_end = bytes.find_last_not_of('\n');
  if (text_end == std::string_view::npos) {
    held_ += bytes.size();
    return;
  }
  for (; held_ > 0; --held_) out_.Put('\n');
  out_.Write(bytes.substr(0, text_end + 1));
  held_ = bytes.size() - text_end - 1;
}

void TrailingNewlines::Finish() {
  held_ = 0;
  out_.Put('\n');
}

}  // namespace trust::base
