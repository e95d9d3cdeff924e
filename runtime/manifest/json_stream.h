// Writes one JSON object piece by piece, in exactly the layout nlohmann's `dump(2)` gives the
// whole document, so that large documents (a manifest of 25,000 entries, a Graphman bundle of
// 25,000 certificates) never exist as a JSON tree: only one entry at a time does. Every value
// and key is written by nlohmann's serializer (its escaping; invalid UTF-8 replaced by U+FFFD,
// never thrown); this class writes only the punctuation and indentation between them.
//
// The text goes into a sink as it is written (a build streams it to its file).
//
//   JsonObjectStream<nlohmann::json> out(sink);
//   out.Member("properties", properties);
//   out.BeginArray("trustedCerts");
//   for (...) out.Element(MakeEntry(...));
//   out.EndArray();
//   out.Finish();  // ends in "\n"
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/byte_sink.h"

namespace trust::manifest {

template <typename Json>
class JsonObjectStream {
 public:
  explicit JsonObjectStream(base::ByteSink& out)
      : out_(out), serializer_(std::make_shared<SinkAdapter>(out), ' ', kReplace) {
    out_.Put('{');
  }

  // `"key": value` at the top level.
  void Member(std::string_view key, const Json& value) {
    Key(key);
    serializer_.dump(value, true, false, kIndent, kIndent);
  }

  // `"key": [`; then Element() for each element and EndArray().
  void BeginArray(std::string_view key) {
    Key(key);
    out_.Put('[');
    array_empty_ = true;
  }

  void Element(const Json& value) {
    out_.Write(array_empty_ ? "\n" : ",\n");
    Indent(2 * kIndent);
    serializer_.dump(value, true, false, kIndent, 2 * kIndent);
    array_empty_ = false;
  }

  // An empty array stays `[]`, as dump() prints it.
  void EndArray() {
    if (!array_empty_) {
      out_.Put('\n');
      Indent(kIndent);
    }
    out_.Put(']');
  }

  // Ends the document with "\n". An object without members is `{}`.
  void Finish() { out_.Write(object_empty_ ? "}\n" : "\n}\n"); }

 private:
  static constexpr unsigned kIndent = 2;
  static constexpr auto kReplace = Json::error_handler_t::replace;

  // nlohmann's serializer writes through this into the sink.
  class SinkAdapter : public nlohmann::detail::output_adapter_protocol<char> {
   public:
    explicit SinkAdapter(base::ByteSink& out) : out_(out) {}
    void write_character(char c) override { out_.Put(c); }
    void write_characters(const char* s, std::size_t length) override {
      out_.Write(std::string_view(s, length));
    }

   private:
    base::ByteSink& out_;
  };

  void Key(std::string_view key) {
    out_.Write(object_empty_ ? "\n" : ",\n");
    Indent(kIndent);
    serializer_.dump(Json(key), false, false, 0);
    out_.Write(": ");
    object_empty_ = false;
  }

  void Indent(unsigned spaces) {
    static constexpr std::string_view kSpaces = "        ";
    out_.Write(kSpaces.substr(0, spaces));
  }

  base::ByteSink& out_;
  nlohmann::detail::serializer<Json> serializer_;
  bool object_empty_ = true;
  bool array_empty_ = true;
};

}  // namespace trust::manifest
