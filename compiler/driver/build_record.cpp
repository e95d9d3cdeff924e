#include "compiler/driver/build_record.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

namespace trust::driver {
namespace {

using nlohmann::json;

// Fills a BuildRecord from the parser's events; refuses (returns false, which stops the parse)
// at the first event that does not fit the format.
class RecordReader : public nlohmann::json_sax<json> {
 public:
  explicit RecordReader(BuildRecord& record) : record_(record) {}

  // Whether the whole record was read, with every field it must have.
  bool Complete() const { return at_ == At::kDone && seen_ == kAllFields; }

  bool null() override { return false; }
  bool boolean(bool /*value*/) override { return false; }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) override { return false; }
  bool binary(binary_t& /*value*/) override { return false; }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/) override {
    return false;
  }

  bool number_integer(number_integer_t value) override { return Integer(value); }
  bool number_unsigned(number_unsigned_t value) override {
    if (at_ == At::kEntry) return EntrySize(value);
    if (at_ == At::kTop && field_ == Field::kNotes) {
      record_.notes = value;
      return Mark(Field::kNotes);
    }
    if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    return Integer(static_cast<int64_t>(value));
  }

  bool string(string_t& value) override {
    if (at_ == At::kEntry) return EntryString(value);
    if (at_ != At::kTop || (field_ != Field::kKey && field_ != Field::kRoot)) return false;
    (field_ == Field::kKey ? record_.key : record_.root) = std::move(value);
    return Mark(field_);
  }

  bool start_object(std::size_t /*size*/) override {
    if (at_ != At::kStart) return false;
    at_ = At::kTop;
    return true;
  }
  bool key(string_t& name) override {
    if (at_ != At::kTop) return false;
    for (const auto& [text, field] : kFields) {
      // Each field once: a second would silently replace the first.
      if (name == text && (seen_ & Bit(field)) == 0) {
        field_ = field;
        return true;
      }
    }
    return false;
  }
  bool end_object() override {
    if (at_ != At::kTop) return false;
    at_ = At::kDone;
    return true;
  }

  bool start_array(std::size_t /*size*/) override {
    if (at_ == At::kTop && field_ == Field::kDates) {
      at_ = At::kDates;
      return true;
    }
    if (at_ == At::kTop && (field_ == Field::kModules || field_ == Field::kCertificates)) {
      list_ = field_ == Field::kModules ? &record_.modules : &record_.certificates;
      at_ = At::kList;
      return true;
    }
    if (at_ != At::kList) return false;
    list_->emplace_back();
    entry_fields_ = 0;
    at_ = At::kEntry;
    return true;
  }
  bool end_array() override {
    switch (at_) {
      case At::kDates:
        at_ = At::kTop;
        return dates_ == 2 && Mark(Field::kDates);
      case At::kList:
        at_ = At::kTop;
        return Mark(field_);
      case At::kEntry:
        at_ = At::kList;
        // A module names three things, a certificate file four (its size as well).
        return entry_fields_ == (list_ == &record_.modules ? 3 : 4);
      default:
        return false;
    }
  }

 private:
  enum class At { kStart, kTop, kDates, kList, kEntry, kDone };
  enum class Field { kFormat, kKey, kDates, kRoot, kNotes, kModules, kCertificates, kCount };
  static constexpr std::pair<std::string_view, Field> kFields[] = {
      {"format", Field::kFormat},
      {"key", Field::kKey},
      {"dates", Field::kDates},
      {"root", Field::kRoot},
      {"notes", Field::kNotes},
      {"modules", Field::kModules},
      {"certificates", Field::kCertificates}};
  static constexpr unsigned Bit(Field field) { return 1u << static_cast<unsigned>(field); }
  static constexpr unsigned kAllFields = (1u << static_cast<unsigned>(Field::kCount)) - 1;

  bool Mark(Field read) {
    seen_ |= Bit(read);
    return true;
  }

  bool Integer(int64_t value) {
    if (at_ == At::kDates) {
      if (dates_ == 0) record_.dates_from = value;
      if (dates_ == 1) record_.dates_until = value;
      return ++dates_ <= 2;
    }
    if (at_ == At::kTop && field_ == Field::kFormat) {
      return value == kBuildRecordFormat && Mark(Field::kFormat);
    }
    return false;
  }

  bool EntryString(string_t& value) {
    RecordedFile& entry = list_->back();
    switch (entry_fields_++) {
      case 0:
        entry.named = std::move(value);
        return true;
      case 1:
        entry.real = std::move(value);
        return true;
      case 2:
        entry.sha256 = std::move(value);
        return true;
      default:
        return false;
    }
  }
  bool EntrySize(uint64_t value) {
    if (entry_fields_++ != 3 || list_ != &record_.certificates) return false;
    list_->back().size = value;
    return true;
  }

  BuildRecord& record_;
  At at_ = At::kStart;
  Field field_ = Field::kCount;
  unsigned seen_ = 0;
  int dates_ = 0;
  std::vector<RecordedFile>* list_ = nullptr;
  int entry_fields_ = 0;
};

}  // namespace

std::optional<BuildRecord> ParseBuildRecord(std::string_view text) {
  BuildRecord record;
  RecordReader reader(record);
  if (!json::sax_parse(text, &reader, json::input_format_t::json, /*strict=*/true) ||
      !reader.Complete()) {
    return std::nullopt;
  }
  return record;
}

}  // namespace trust::driver
