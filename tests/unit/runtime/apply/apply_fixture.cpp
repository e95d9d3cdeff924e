#include "tests/unit/runtime/apply/apply_fixture.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <sstream>

namespace trust::test {

void ApplyFixture::SetUp() {
  mkdir((dir_ + "/certs").c_str(), 0755);
  mkdir((dir_ + "/keystores").c_str(), 0755);
  mkdir((dir_ + "/store").c_str(), 0755);
  store_path_ = dir_ + "/store/cacerts";
  setenv(kPasswordVar, "changeit", 1);
}

manifest::Entry ApplyFixture::EntryFor(const std::string& alias, const TestCert& cert,
                                       bool replace) {
  const std::string& sha = cert.cert->facts().sha256;
  WriteFile(dir_ + "/certs/" + sha + ".der", cert.der);
  return {alias,
          "../certs/" + sha + ".der",
          sha,
          cert.cert->facts().subject,
          x509::FormatUtc(cert.cert->facts().not_after),
          replace,
          std::nullopt};
}

manifest::Manifest ApplyFixture::BaseManifest(manifest::Format format) {
  manifest::Manifest m;
  m.generator = "test";
  m.source = "main.trust";
  m.keystore = "ks";
  m.format = format;
  m.path = store_path_;
  m.password = manifest::PasswordEnv{kPasswordVar};
  m.create = true;
  return m;
}

std::string ApplyFixture::WriteManifest(const manifest::Manifest& m, const std::string& name) {
  std::string path = dir_ + "/keystores/" + name + ".manifest.json";
  WriteFile(path, manifest::WriteManifest(m));
  return path;
}

int ApplyFixture::Run(const std::string& command, const std::vector<std::string>& manifests,
                      apply::Options options) {
  options.manifests = manifests;
  std::ostringstream out;
  std::ostringstream err;
  int rc = apply::kExitError;
  if (command == "plan") {
    rc = apply::RunPlan(options, out, err);
  } else if (command == "apply") {
    rc = apply::RunApply(options, out, err);
  } else if (command == "verify") {
    rc = apply::RunVerify(options, out, err);
  }
  out_ = out.str();
  err_ = err.str();
  return rc;
}

}  // namespace trust::test
