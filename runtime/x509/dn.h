// Distinguished names: RFC 4514 parsing and the comparison docs/language.md describes.
#pragma once

#include <openssl/x509.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trust::x509 {

struct DnAttribute {
  // Canonical: OpenSSL short name when known ("CN", "OU", "emailAddress"), else dotted OID.
  std::string type;
  // Unescaped text; for a value that is not a character string (a BIT STRING
  // x500UniqueIdentifier, an OCTET STRING, ...) RFC 4514's `#` + upper-case hex of its BER
  // encoding, with `ber` set: such a value has no text to print.
  std::string value;
  bool ber = false;
  // Exact. DistinguishedName's defaulted == needs it; the language's comparison is DnEqual.
  bool operator==(const DnAttribute&) const = default;
};
using Rdn = std::vector<DnAttribute>;  // multi-valued RDNs joined with '+'

// RDNs in RFC 4514 order: most specific first ("CN=..." before "C=...").
struct DistinguishedName {
  std::vector<Rdn> rdns;
  bool operator==(const DistinguishedName&) const = default;  // exact; use DnEqual to compare
};

// Parses RFC 4514 text. On failure returns nullopt and sets *error (lower case, no period).
std::optional<DistinguishedName> ParseDn(std::string_view text, std::string* error);

// The language's comparison: types case-insensitively, values case-insensitively after
// trimming and collapsing internal white space; RDN order matters.
bool DnEqual(const DistinguishedName& a, const DistinguishedName& b);

// A key for hash maps: DnKey(a) == DnKey(b) exactly when DnEqual(a, b).
std::string DnKey(const DistinguishedName& dn);

// From a certificate's name, in RFC 4514 order.
DistinguishedName DnFromX509Name(const X509_NAME* name);

// RFC 4514 text ("CN=a\\,b,O=x"), escaping as the RFC requires.
std::string FormatDn(const DistinguishedName& dn);

// The value of the first (most specific) CN attribute, if any.
std::optional<std::string> CommonName(const DistinguishedName& dn);

}  // namespace trust::x509
