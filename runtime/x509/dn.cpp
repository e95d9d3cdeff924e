// RFC 4514 distinguished names. Parsing is strict about structure (unknown types, bad escapes
// and unescaped specials are errors, so a typo in a policy never silently compares unequal) and
// lenient about white space around types and values, which people copy from tool output.
#include "runtime/x509/dn.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <utility>

#include "base/ascii.h"
#include "base/utf8.h"

namespace trust::x509 {
namespace {

struct Asn1ObjectDeleter {
  void operator()(ASN1_OBJECT* object) const { ASN1_OBJECT_free(object); }
};
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, Asn1ObjectDeleter>;

struct Asn1TypeDeleter {
  void operator()(ASN1_TYPE* type) const { ASN1_TYPE_free(type); }
};
using Asn1TypePtr = std::unique_ptr<ASN1_TYPE, Asn1TypeDeleter>;

struct OpenSslBytesDeleter {
  void operator()(unsigned char* bytes) const { OPENSSL_free(bytes); }
};
using OpenSslBytesPtr = std::unique_ptr<unsigned char, OpenSslBytesDeleter>;

// Longer types are certainly typos or hostile input; the cap keeps OID parsing cheap.
constexpr size_t kMaxTypeLength = 128;

// OpenSSL's name lookup is case-sensitive; the language's is not. These are the attribute
// types seen in certificate names, matched case-insensitively against short and long names.
constexpr std::array kNameAttributeNids = {
    NID_commonName,
    NID_countryName,
    NID_localityName,
    NID_stateOrProvinceName,
    NID_organizationName,
    NID_organizationalUnitName,
    NID_streetAddress,
    NID_domainComponent,
    NID_userId,
    NID_pkcs9_emailAddress,
    NID_serialNumber,
    NID_title,
    NID_surname,
    NID_givenName,
    NID_initials,
    NID_generationQualifier,
    NID_dnQualifier,
    NID_pseudonym,
    NID_name,
    NID_description,
    NID_postalCode,
    NID_businessCategory,
    NID_jurisdictionCountryName,
    NID_jurisdictionStateOrProvinceName,
    NID_jurisdictionLocalityName,
    NID_organizationIdentifier,
    NID_pkcs9_unstructuredName,
    NID_telephoneNumber,
    NID_postalAddress,
    NID_postOfficeBox,
    NID_role,
    NID_x500UniqueIdentifier,
};

// Abbreviations other tools print (Java's `E`/`EMAIL`, Microsoft's `S`) that OpenSSL lacks.
constexpr std::array<std::pair<std::string_view, int>, 3> kTypeAliases = {{
    {"E", NID_pkcs9_emailAddress},
    {"EMAIL", NID_pkcs9_emailAddress},
    {"S", NID_stateOrProvinceName},
}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int HexValue(char c) {
  if (IsDigit(c)) {
    return c - '0';
  }
  return base::AsciiLower(c) - 'a' + 10;
}

// Bytes that are not UTF-8 (old T61String names) are read as Latin-1 so values stay printable.
std::string Latin1ToUtf8(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out.push_back(c);
    } else {
      out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return out;
}

// The canonical spelling of a type: OpenSSL's short name when it has one, else the dotted OID.
std::string TypeName(const ASN1_OBJECT* object) {
  const int nid = OBJ_obj2nid(object);
  if (nid != NID_undef) {
    if (const char* short_name = OBJ_nid2sn(nid)) {
      return short_name;
    }
  }
  const int length = OBJ_obj2txt(nullptr, 0, object, 1);
  if (length <= 0) {
    return "";
  }
  std::string text(static_cast<size_t>(length) + 1, '\0');
  OBJ_obj2txt(text.data(), length + 1, object, 1);
  text.resize(static_cast<size_t>(length));
  return text;
}

bool IsNumericOid(std::string_view text) {
  bool arc_has_digit = false;
  int arcs = 0;
  for (char c : text) {
    if (IsDigit(c)) {
      arc_has_digit = true;
    } else if (c == '.' && arc_has_digit) {
      arc_has_digit = false;
      ++arcs;
    } else {
      return false;
    }
  }
  return arc_has_digit && arcs >= 1;
}

std::optional<std::string> CanonicalOid(std::string_view text) {
  if (!IsNumericOid(text)) {
    return std::nullopt;
  }
  const std::string oid(text);
  Asn1ObjectPtr object(OBJ_txt2obj(oid.c_str(), 1));
  ERR_clear_error();
  if (object == nullptr) {
    return std::nullopt;
  }
  return TypeName(object.get());
}

std::optional<std::string> CanonicalType(std::string_view raw) {
  if (raw.empty() || raw.size() > kMaxTypeLength) {
    return std::nullopt;
  }
  // RFC 2253 allowed an `OID.` prefix on numeric types; some tools still print it.
  if (raw.size() > 4 && base::AsciiEqualIgnoreCase(raw.substr(0, 4), "oid.")) {
    return CanonicalOid(raw.substr(4));
  }
  if (IsDigit(raw[0])) {
    return CanonicalOid(raw);
  }
  for (const auto& [alias, nid] : kTypeAliases) {
    if (base::AsciiEqualIgnoreCase(raw, alias)) {
      return OBJ_nid2sn(nid);
    }
  }
  for (int nid : kNameAttributeNids) {
    if (base::AsciiEqualIgnoreCase(raw, OBJ_nid2sn(nid)) ||
        base::AsciiEqualIgnoreCase(raw, OBJ_nid2ln(nid))) {
      return OBJ_nid2sn(nid);
    }
  }
  // Any other name OpenSSL knows, spelled exactly, so every FormatDn output parses back.
  const std::string name(raw);
  int nid = OBJ_sn2nid(name.c_str());
  if (nid == NID_undef) {
    nid = OBJ_ln2nid(name.c_str());
  }
  ERR_clear_error();
  if (nid == NID_undef) {
    return std::nullopt;
  }
  return OBJ_nid2sn(nid);
}

// The types with a text value: those ASN1_STRING_to_UTF8 converts (the times too). Any other
// value is written as `#` + hex, as OpenSSL's RFC 2253 printing dumps it.
bool IsStringType(int asn1_type) {
  switch (asn1_type) {
    case V_ASN1_UTCTIME:
    case V_ASN1_GENERALIZEDTIME:
    case V_ASN1_UTF8STRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING:
    case V_ASN1_BMPSTRING:
    case V_ASN1_UNIVERSALSTRING:
    case V_ASN1_NUMERICSTRING:
    case V_ASN1_VISIBLESTRING:
      return true;
    default:
      return false;
  }
}

// UTF-8 text of an ASN.1 string; nullopt when OpenSSL cannot convert it.
std::optional<std::string> Asn1StringToUtf8(const ASN1_STRING* string) {
  unsigned char* raw = nullptr;
  const int length = ASN1_STRING_to_UTF8(&raw, string);
  OpenSslBytesPtr owned(raw);
  ERR_clear_error();
  if (length < 0) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<size_t>(length));
}

std::string UpperHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0F]);
  }
  return out;
}

// RFC 4514 `#hex`: the BER encoding of one complete value. A character string has a text
// value (and is compared as text); any other type stays `#` + hex, as a certificate prints it.
std::optional<DnAttribute> DecodeBerValue(const std::string& ber) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(ber.data());
  const auto* end = cursor + ber.size();
  Asn1TypePtr value(d2i_ASN1_TYPE(nullptr, &cursor, static_cast<long>(ber.size())));
  ERR_clear_error();
  if (value == nullptr || cursor != end) {
    return std::nullopt;
  }
  if (!IsStringType(value->type)) {
    return DnAttribute{"", "#" + UpperHex(ber), true};
  }
  std::optional<std::string> text = Asn1StringToUtf8(value->value.asn1_string);
  if (!text) {
    return std::nullopt;
  }
  return DnAttribute{"", std::move(*text), false};
}

// The DER encoding of an entry's value with its own tag, as RFC 4514 `#hex` spells it (and as
// OpenSSL's RFC 2253 printing dumps it).
std::string EntryValueDer(const ASN1_STRING* data) {
  ASN1_TYPE wrapper{};
  wrapper.type = ASN1_STRING_type(data);
  wrapper.value.asn1_string = const_cast<ASN1_STRING*>(data);
  unsigned char* der = nullptr;
  const int length = i2d_ASN1_TYPE(&wrapper, &der);
  OpenSslBytesPtr owned(der);
  ERR_clear_error();
  if (length <= 0) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<size_t>(length));
}

std::string Describe(std::string_view text, size_t pos) {
  if (pos >= text.size()) {
    return "the end of the text";
  }
  const char c = text[pos];
  if (c > ' ' && c < 0x7F) {
    return std::string("`") + c + "`";
  }
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "byte 0x%02x", static_cast<unsigned char>(c));
  return buffer.data();
}

class DnParser {
 public:
  explicit DnParser(std::string_view text) : text_(text) {}

  std::optional<DistinguishedName> Parse(std::string* error);

 private:
  bool ParseRdn(Rdn* rdn);
  bool ParseAttribute(DnAttribute* attribute);
  bool ParseType(std::string* type);
  bool ParseHexValue(std::string_view type, std::string* value, bool* is_ber);
  bool ParseStringValue(std::string_view type, std::string* value);
  bool ParseEscape(std::string* value);

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  std::string Offset() const { return " at offset " + std::to_string(pos_); }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(Peek())) {
      ++pos_;
    }
  }
  bool Fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
    }
    return false;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

std::optional<DistinguishedName> DnParser::Parse(std::string* error) {
  SkipSpaces();
  if (AtEnd()) {
    if (error != nullptr) {
      *error = "empty distinguished name";
    }
    return std::nullopt;
  }
  DistinguishedName dn;
  while (true) {
    Rdn rdn;
    if (!ParseRdn(&rdn)) {
      if (error != nullptr) {
        *error = error_;
      }
      return std::nullopt;
    }
    dn.rdns.push_back(std::move(rdn));
    if (AtEnd()) {
      return dn;
    }
    ++pos_;  // ParseRdn stops only at the end or at a `,`.
  }
}

bool DnParser::ParseRdn(Rdn* rdn) {
  while (true) {
    DnAttribute attribute;
    if (!ParseAttribute(&attribute)) {
      return false;
    }
    rdn->push_back(std::move(attribute));
    if (AtEnd() || Peek() == ',') {
      return true;
    }
    if (Peek() != '+') {
      return Fail("expected `,` or `+` after the value of `" + rdn->back().type + "`" + Offset() +
                  ", found " + Describe(text_, pos_));
    }
    ++pos_;
  }
}

bool DnParser::ParseAttribute(DnAttribute* attribute) {
  if (!ParseType(&attribute->type)) {
    return false;
  }
  SkipSpaces();
  const size_t value_start = pos_;
  const bool ok = (!AtEnd() && Peek() == '#')
                      ? ParseHexValue(attribute->type, &attribute->value, &attribute->ber)
                      : ParseStringValue(attribute->type, &attribute->value);
  if (!ok) {
    return false;
  }
  if (!base::IsValidUtf8(attribute->value)) {
    return Fail("the value of `" + attribute->type + "` at offset " + std::to_string(value_start) +
                " is not valid UTF-8");
  }
  return true;
}

bool DnParser::ParseType(std::string* type) {
  SkipSpaces();
  const size_t start = pos_;
  while (!AtEnd() && (IsAlpha(Peek()) || IsDigit(Peek()) || Peek() == '-' || Peek() == '.')) {
    ++pos_;
  }
  if (pos_ == start) {
    return Fail("expected an attribute type" + Offset() + ", found " + Describe(text_, pos_));
  }
  const std::string_view raw = text_.substr(start, pos_ - start);
  SkipSpaces();
  if (AtEnd() || Peek() != '=') {
    return Fail("expected `=` after attribute type `" + std::string(raw) + "`" + Offset() +
                ", found " + Describe(text_, pos_));
  }
  ++pos_;
  std::optional<std::string> canonical = CanonicalType(raw);
  if (!canonical) {
    return Fail("unknown attribute type `" + std::string(raw) + "` at offset " +
                std::to_string(start));
  }
  *type = std::move(*canonical);
  return true;
}

bool DnParser::ParseHexValue(std::string_view type, std::string* value, bool* is_ber) {
  const size_t start = pos_;
  ++pos_;  // '#'
  std::string ber;
  while (!AtEnd() && IsHex(Peek())) {
    if (pos_ + 1 >= text_.size() || !IsHex(text_[pos_ + 1])) {
      return Fail("odd number of hex digits in the value of `" + std::string(type) + "`" +
                  Offset());
    }
    ber.push_back(static_cast<char>(HexValue(Peek()) * 16 + HexValue(text_[pos_ + 1])));
    pos_ += 2;
  }
  std::optional<DnAttribute> decoded = ber.empty() ? std::nullopt : DecodeBerValue(ber);
  if (!decoded) {
    return Fail("the hex value of `" + std::string(type) + "` at offset " + std::to_string(start) +
                " is not one BER-encoded value");
  }
  SkipSpaces();
  if (!AtEnd() && Peek() != ',' && Peek() != '+') {
    return Fail("expected `,` or `+` after the hex value of `" + std::string(type) + "`" +
                Offset() + ", found " + Describe(text_, pos_));
  }
  *value = std::move(decoded->value);
  *is_ber = decoded->ber;
  return true;
}

bool DnParser::ParseStringValue(std::string_view type, std::string* value) {
  // Trailing spaces are trimmed, except those written as `\ ` (everything up to `keep`).
  size_t keep = 0;
  while (!AtEnd() && Peek() != ',' && Peek() != '+') {
    const char c = Peek();
    if (c == '\\') {
      if (!ParseEscape(value)) {
        return false;
      }
      keep = value->size();
      continue;
    }
    if (c == '"' || c == ';' || c == '<' || c == '>') {
      const std::string hint = c == ';' ? " (RDNs are separated by `,`)" : "";
      return Fail(std::string("unescaped `") + c + "` in the value of `" + std::string(type) + "`" +
                  Offset() + "; write it as `\\" + c + "`" + hint);
    }
    value->push_back(c);
    ++pos_;
  }
  while (value->size() > keep && IsSpace(value->back())) {
    value->pop_back();
  }
  return true;
}

bool DnParser::ParseEscape(std::string* value) {
  const size_t start = pos_;
  ++pos_;  // '\'
  if (AtEnd()) {
    return Fail("unfinished escape at offset " + std::to_string(start));
  }
  const char c = Peek();
  if (IsHex(c) && pos_ + 1 < text_.size() && IsHex(text_[pos_ + 1])) {
    value->push_back(static_cast<char>(HexValue(c) * 16 + HexValue(text_[pos_ + 1])));
    pos_ += 2;
    return true;
  }
  if (std::string_view("\"+,;<>\\ #=").find(c) == std::string_view::npos) {
    return Fail("invalid escape `\\" + std::string(1, c) + "` at offset " + std::to_string(start));
  }
  value->push_back(c);
  ++pos_;
  return true;
}

// The comparison form of a value: trimmed, white space runs collapsed, ASCII lower case.
// Non-ASCII letters are compared byte for byte: the language promises no Unicode folding.
std::string NormalizeValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
    }
    pending_space = false;
    out.push_back(base::AsciiLower(c));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> NormalizeRdn(const Rdn& rdn) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(rdn.size());
  for (const DnAttribute& attribute : rdn) {
    std::string type;
    for (char c : attribute.type) {
      type.push_back(base::AsciiLower(c));
    }
    if (attribute.ber) {
      type.push_back('#');  // never equal to a text value that happens to read `#...`
    }
    out.emplace_back(std::move(type), NormalizeValue(attribute.value));
  }
  std::sort(out.begin(), out.end());  // a multi-valued RDN is a set
  return out;
}

std::string EscapeValue(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const auto byte = static_cast<unsigned char>(c);
    const bool edge_special =
        (i == 0 && (c == ' ' || c == '#')) || (i + 1 == value.size() && c == ' ');
    if (edge_special || std::string_view("\"+,;<>\\").find(c) != std::string_view::npos) {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte == 0x7F) {
      std::array<char, 4> buffer{};
      std::snprintf(buffer.data(), buffer.size(), "\\%02X", byte);
      out += buffer.data();
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// One X509_NAME entry as an attribute. Values that do not convert to valid UTF-8 fall back to
// their raw bytes read as Latin-1, so a strange certificate still loads, prints and parses back.
DnAttribute AttributeFromEntry(const X509_NAME_ENTRY* entry) {
  DnAttribute attribute;
  attribute.type = TypeName(X509_NAME_ENTRY_get_object(entry));
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(entry);
  if (!IsStringType(ASN1_STRING_type(data))) {
    std::string der = EntryValueDer(data);
    if (!der.empty()) {
      attribute.value = "#" + UpperHex(der);
      attribute.ber = true;
      return attribute;
    }
  }
  std::optional<std::string> utf8 = Asn1StringToUtf8(data);
  if (utf8 && base::IsValidUtf8(*utf8)) {  // a BMPString may hold lone surrogates, for one
    attribute.value = std::move(*utf8);
  } else {
    attribute.value =
        Latin1ToUtf8(std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                                      static_cast<size_t>(ASN1_STRING_length(data))));
  }
  return attribute;
}

}  // namespace

std::optional<DistinguishedName> ParseDn(std::string_view text, std::string* error) {
  return DnParser(text).Parse(error);
}

bool DnEqual(const DistinguishedName& a, const DistinguishedName& b) {
  if (a.rdns.size() != b.rdns.size()) {
    return false;
  }
  for (size_t i = 0; i < a.rdns.size(); ++i) {
    if (NormalizeRdn(a.rdns[i]) != NormalizeRdn(b.rdns[i])) {
      return false;
    }
  }
  return true;
}

std::string DnKey(const DistinguishedName& dn) {
  std::string key;
  for (const Rdn& rdn : dn.rdns) {
    key += '/';  // length-prefixed parts: no value can fake a separator
    for (const auto& [type, value] : NormalizeRdn(rdn)) {
      key += std::to_string(type.size()) + ':' + type + std::to_string(value.size()) + ':' + value;
    }
  }
  return key;
}

DistinguishedName DnFromX509Name(const X509_NAME* name) {
  DistinguishedName dn;
  if (name == nullptr) {
    return dn;
  }
  // Certificates store the least specific RDN first; entries of one RDN share a set number.
  int current_set = -1;
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    const int set = X509_NAME_ENTRY_set(entry);
    if (dn.rdns.empty() || set != current_set) {
      dn.rdns.emplace_back();
    }
    current_set = set;
    dn.rdns.back().push_back(AttributeFromEntry(entry));
  }
  std::reverse(dn.rdns.begin(), dn.rdns.end());
  return dn;
}

std::string FormatDn(const DistinguishedName& dn) {
  std::string out;
  for (size_t i = 0; i < dn.rdns.size(); ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    for (size_t k = 0; k < dn.rdns[i].size(); ++k) {
      if (k > 0) {
        out.push_back('+');
      }
      const DnAttribute& attribute = dn.rdns[i][k];
      out +=
          attribute.type + "=" + (attribute.ber ? attribute.value : EscapeValue(attribute.value));
    }
  }
  return out;
}

std::optional<std::string> CommonName(const DistinguishedName& dn) {
  for (const Rdn& rdn : dn.rdns) {
    for (const DnAttribute& attribute : rdn) {
      if (attribute.type == "CN") {
        return attribute.value;
      }
    }
  }
  return std::nullopt;
}

}  // namespace trust::x509
