// An independent structural checker for RESTMAN bundles, written from the format facts in
// docs/bundles.md and the real gateway exports, not from trustc's writer: it shares
// no code with compiler/lower/bundle, so a misreading of the format in one shows up in the other.
// No public XSD exists, so this is what "a valid bundle" means to the test suite.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trust::test {

struct BundleCheckOptions {
  // Bundles trustc writes, rather than any export: every TRUSTED_CERT has all eight trust keys
  // (and no other), every id is a GOID outside the reserved range, every entity element carries
  // its id, and items and mappings correspond one to one.
  bool strict = false;
};

// Every violation found, one line each; empty when the bundle is accepted.
std::vector<std::string> CheckBundle(std::string_view xml, const BundleCheckOptions& options);

// Checks that `delete_xml` is the delete bundle of `install_xml`: the same items, and the
// install's mappings in reverse order with action `Delete` and otherwise unchanged.
std::vector<std::string> CheckDeleteBundle(std::string_view install_xml,
                                           std::string_view delete_xml);

}  // namespace trust::test
