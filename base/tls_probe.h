// What a TLS endpoint presents: trustc pin records it, trust-apply's requireEndpoint compares
// it. A handshake only (SNI, no chain verification: the callers record or compare, they do not
// trust), no application data, bounded by one deadline for connecting and handshaking.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace trust::base {

// True for "192.0.2.1" or "2001:db8::1": such a host is never sent as SNI.
bool IsIpLiteral(const std::string& host);

// The certificates `host`:`port` presents in a handshake, as DER, leaf first. Every address
// the name resolves to is tried in turn until one connects, all within `timeout_seconds`
// (name resolution itself has the system resolver's timeouts). `server_name` is sent as SNI
// when not empty. On failure returns nullopt and sets *error ("cannot resolve HOST: ...",
// "cannot connect to HOST:PORT: ...", "TLS handshake failed: ...", "TLS handshake timed out").
std::optional<std::vector<std::string>> FetchPresentedChain(const std::string& host,
                                                            const std::string& port,
                                                            const std::string& server_name,
                                                            int timeout_seconds,
                                                            std::string* error);

}  // namespace trust::base
