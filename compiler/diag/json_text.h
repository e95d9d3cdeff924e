// The one way the compiler turns a JSON document into output text.
#pragma once

#include <string>

namespace trust::diag {

// File names, messages and certificate fields are bytes from the user, not always UTF-8;
// nlohmann's default handler throws on invalid UTF-8 (type_error.316), which would abort the
// output. Invalid sequences become U+FFFD instead.
template <typename Json>
std::string JsonText(const Json& value, int indent = 2) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace trust::diag
