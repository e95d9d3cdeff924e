// Writes one JSON object piece by piece, in exactly the layout nlohmann's `dump(2)` gives the
// whole document, so that large documents (a manifest of 25,000 entries, a Graphman bundle of
// 25,000 certificates) never exist as a JSON tree: only one entry at a time does. Every value
// and key is written by nlohmann's serializer (its escaping; invalid UTF-8 replaced by U+FFFD,
// never thrown); this class writes only the punctuation and indentation between them.
//
//   JsonObjectStream<nlohmann::json> out;
//   out.Member("properties", properties);
//   out.BeginArray("trustedCerts");
//   for (...) out.Element(MakeEntry(...));
//   out.EndArray();
//   std::string text = out.Finish();  // ends in "\n"
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace trust::manifest {

template <typename Json>
class JsonObjectStream {
 public:
  JsonObjectStream() : serializer_(nlohmann::detail::output_adapter<char>(out_), ' ', kReplace) {
    out_.push_back('{');
  }

  // `"key": value` at the top level.
  void Member(std::string_view key, const Json& value) {
    Key(key);
    serializer_.dump(value, true, false, kIndent, kIndent);
  }

  // `"key": [`; then Element() for each element and EndArray().
  void BeginArray(std::string_view key) {
    Key(key);
    out_.push_back('[');
    array_empty_ = true;
  }

  void Element(const Json& value) {
    out_.append(array_empty_ ? "\n" : ",\n");
    out_.append(2 * kIndent, ' ');
    serializer_.dump(value, true, false, kIndent, 2 * kIndent);
    array_empty_ = false;
  }

  // An empty array stays `[]`, as dump() prints it.
  void EndArray() {
    if (!array_empty_) {
      out_.push_back('\n');
      out_.append(kIndent, ' ');
    }
    out_.push_back(']');
  }

  // The document, ending in "\n". An object without members is `{}`.
  std::string Finish() {
    out_.append(object_empty_ ? "}\n" : "\n}\n");
    return std::move(out_);
  }

 private:
  static constexpr unsigned kIndent = 2;
  static constexpr auto kReplace = Json::error_handler_t::replace;

  void Key(std::string_view key) {
    out_.append(object_empty_ ? "\n" : ",\n");
    out_.append(kIndent, ' ');
    serializer_.dump(Json(key), false, false, 0);
    out_.append(": ");
    object_empty_ = false;
  }

  std::string out_;
  nlohmann::detail::serializer<Json> serializer_;
  bool object_empty_ = true;
  bool array_empty_ = true;
};

}  // namespace trust::manifest
