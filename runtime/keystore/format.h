// The keystore formats: the one enum that manifests, the compiler's IR and the keystores use.
// trust-apply reads all four; JCEKS is read-only, so manifests and programs name the others.
#pragma once

#include <optional>
#include <string_view>

namespace trust::keystore {

enum class StoreFormat { kJks, kJceks, kPkcs12, kPem };

std::string_view StoreFormatName(StoreFormat format);  // "jks", "jceks", "pkcs12", "pem"

// "jks", "pkcs12" or "pem": a format that can be written (a manifest's `format`, a program's
// `format` item); nullopt for anything else, "jceks" included.
std::optional<StoreFormat> ParseWritableFormat(std::string_view name);

}  // namespace trust::keystore
