// Where bytes go as they are produced: a file being written, a hash, a string. Writers of large
// outputs (bundles, manifests) write into a sink piece by piece, so that no output has to exist
// whole in memory.
#pragma once

#include <string>
#include <string_view>

namespace trust::base {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Write(std::string_view bytes) = 0;
  void Put(char c) { Write(std::string_view(&c, 1)); }
};

// Appends to a string: for tests and for outputs that are small or compared in memory.
class StringSink : public ByteSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void Write(std::string_view bytes) override { out_.append(bytes); }

 private:
  std::string& out_;
};

// What `write` (a callable taking a ByteSink&) writes, as a string: the in-memory form of a
// writer that normally streams (diff and the tests compare bundles as strings).
template <typename Write>
std::string WriteToString(Write write) {
  std::string text;
  StringSink sink(text);
  write(sink);
  return text;
}

// Holds back a run of "\n" until more text follows, so that the output can end in exactly one
// newline however many the writer before it printed (Finish).
class TrailingNewlines : public ByteSink {
 public:
  explicit TrailingNewlines(ByteSink& out) : out_(out) {}
  void Write(std::string_view bytes) override;
  // Ends the output with a single "\n".
  void Finish();

 private:
  ByteSink& out_;
  size_t held_ = 0;
};

}  // namespace trust::base
