// `trustc pin`: what a TLS endpoint presents. It records, never decides: no verification, so
// that an expired, self-signed or mis-issued certificate can still be pinned and reviewed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/endpoint.h"

namespace trust::importer {

// The certificates presented in the handshake, leaf first, as DER. `sni` empty: the host when
// it is a name (never for an IP literal). Gives up after `timeout_seconds` in all (connect and
// handshake). On failure returns nullopt and sets *error.
std::optional<std::vector<std::string>> FetchPresentedChain(const base::Endpoint& endpoint,
                                                            const std::string& sni,
                                                            int timeout_seconds,
                                                            std::string* error);

}  // namespace trust::importer
