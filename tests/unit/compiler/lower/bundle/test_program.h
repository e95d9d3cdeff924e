// Small IR programs for the bundle tests, built by hand. Certificates are made in-process with
// the OpenSSL API and fixed validity dates far from today, so no test depends on the clock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/x509/certificate.h"

namespace trust::test {

// A self-signed Ed25519 certificate "CN=<common_name>" with the given serial number.
std::shared_ptr<const x509::Certificate> MakeCertificate(const std::string& common_name,
                                                         int64_t serial);

// Appends a Cert to the program and returns its id.
ir::CertId AddCert(ir::Program& program, const std::string& name,
                   std::shared_ptr<const x509::Certificate> certificate);

// A trust of `cert` under `entity_name` with the language's defaults (no purpose, no anchor,
// hostname verification and revocation checking on).
ir::Trust MakeTrust(ir::CertId cert, const std::string& entity_name);

ir::Gateway MakeGateway(const std::string& name, std::vector<ir::Trust> trusts = {},
                        std::vector<ir::IdentityProvider> providers = {});

ir::User MakeUser(const std::string& login, const std::string& dn);

// One gateway "prod" (by name) with one trusted certificate "Partner CA", one federated
// provider "Partners" (x509, trusting it) and one user "alice".
ir::Program SampleProgram();

}  // namespace trust::test
