// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. Source
// files, DNs, bundle text and keystore passwords are all checked and decoded by these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trust::base {

// The length (1 to 4) of the UTF-8 sequence at text[i], storing its code point in
// *code_point; 0 when the bytes there are not strict UTF-8 (or i is past the end).
size_t DecodeUtf8At(std::string_view text, size_t i, char32_t* code_point);

// The length of the sequence at text[i], 0 when it is not strict UTF-8.
size_t Utf8SequenceAt(std::string_view text, size_t i);

// The offset of the first byte that does not start strict UTF-8; npos when all of it is.
size_t FindInvalidUtf8(std::string_view text);
inline bool IsValidUtf8(std::string_view text) {
  return FindInvalidUtf8(text) == std::string_view::npos;
}

// Code points in `text`, counting every byte that is not a continuation byte (so that a
// column stays meaningful in text that is not valid UTF-8).
uint32_t CountCodePoints(std::string_view text);

// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF).
void AppendUtf8(std::string& out, char32_t code_point);

}  // namespace trust::base
