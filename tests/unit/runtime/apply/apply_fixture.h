// A temp directory with certs/, keystores/ (manifests) and store/ (the keystore), and helpers
// to write manifests and run trust-apply's commands in-process.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/apply/commands.h"
#include "runtime/manifest/manifest.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"
#include "tests/support/temp_tree.h"
#include "tests/support/test_certs.h"

namespace trust::test {

inline constexpr char kPasswordVar[] = "TRUST_APPLY_TEST_PASSWORD";

class ApplyFixture : public ::testing::Test {
 protected:
  void SetUp() override;

  // Writes the certificate as certs/SHA.der and returns an entry for it.
  manifest::Entry EntryFor(const std::string& alias, const TestCert& cert, bool replace = false);
  manifest::Manifest BaseManifest(manifest::Format format);
  std::string WriteManifest(const manifest::Manifest& m, const std::string& name = "ks");

  int Run(const std::string& command, const std::vector<std::string>& manifests,
          apply::Options options = {});

  TempDir temp_{"trust-apply"};
  std::string dir_ = temp_.str();
  std::string store_path_;
  std::string out_;
  std::string err_;
};

// The trust-apply binary of this build.
inline std::string TrustApplyBinary() {
  return std::string(test_support::BinaryDir()) + "/bin/trust-apply";
}

}  // namespace trust::test
