// "HOST:PORT" as written in `requireEndpoint`, `trustc pin` and trust-apply's manifests: one
// reading for all three, so that what the compiler accepts the runtime can reach.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trust::base {

struct Endpoint {
  std::string host;  // without the brackets of "[V6]:PORT"
  std::string port;  // decimal, 1 to 65535
};

// "HOST:PORT" or "[V6]:PORT"; the last colon separates the port. On failure returns nullopt
// and sets *error ("expected HOST:PORT, got `TEXT`").
std::optional<Endpoint> ParseEndpoint(std::string_view text, std::string* error);

}  // namespace trust::base
