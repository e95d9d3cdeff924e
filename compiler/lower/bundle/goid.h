// Derived entity ids. A GOID never comes from a clock or a random source: it is a hash of the
// gateway, the entity type and the entity's key, so the same entity keeps its id across builds
// and across certificate rotation (a rotation is then an update in place, not a new entity).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace trust::lower::bundle {

// First 16 bytes of SHA-256("trustc-goid-v1\n" + gateway + "\n" + type + "\n" + key), as 32
// lower-case hex digits. Ids whose high 64 bits are 0..65535 are reserved by the gateway for
// built-in entities, so for those the top bit is set.
std::string Goid(std::string_view gateway, std::string_view type, std::string_view key);

// The GOID rule applied to an already computed digest prefix; exposed so that the reserved
// range can be tested without searching for a hash preimage.
std::string GoidFromDigest(std::array<uint8_t, 16> digest);

}  // namespace trust::lower::bundle
