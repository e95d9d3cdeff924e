// Helpers shared by the keystore formats; not part of the keystore interface.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "runtime/keystore/keystore.h"

namespace trust::keystore {

// Parses DER and fills sha256, subject and not_after of `info`.
bool DescribeCertificate(std::string_view der, EntryInfo* info, std::string* error);

// Validates an alias for a new entry (printable ASCII, no `debian:` prefix).
bool CheckNewAlias(std::string_view alias, std::string* error);

std::unique_ptr<Keystore> OpenJks(std::string_view bytes, const Secret* password,
                                  std::string* error);
std::unique_ptr<Keystore> NewJks(const Secret* password);
std::unique_ptr<Keystore> OpenPkcs12(std::string_view bytes, const Secret* password,
                                     std::string* error);
std::unique_ptr<Keystore> NewPkcs12(const Secret* password, std::string* error);
std::unique_ptr<Keystore> OpenPemBundle(std::string_view bytes, std::string* error);
std::unique_ptr<Keystore> NewPemBundle();

}  // namespace trust::keystore
