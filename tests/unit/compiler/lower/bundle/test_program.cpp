#include "tests/unit/compiler/lower/bundle/test_program.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdexcept>
#include <variant>
#include <vector>

#include "tests/support/test_certs.h"

namespace trust::test {

std::shared_ptr<const x509::Certificate> MakeCertificate(const std::string& common_name,
                                                         int64_t serial) {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  x509::X509Ptr x509(X509_new());
  X509_set_version(x509.get(), 2);
  ASN1_INTEGER_set_int64(X509_get_serialNumber(x509.get()), serial);
  ASN1_TIME_set(X509_getm_notBefore(x509.get()), static_cast<time_t>(kNotBefore));
  ASN1_TIME_set(X509_getm_notAfter(x509.get()), static_cast<time_t>(kNotAfter));
  X509_NAME* name = X509_get_subject_name(x509.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(x509.get(), name);
  X509_set_pubkey(x509.get(), key.get());
  X509_sign(x509.get(), key.get(), nullptr);  // Ed25519 signs without a separate digest
  x509::LoadResult result = x509::ParseCertificate(ToDer(x509.get()));
  if (auto* error = std::get_if<x509::LoadError>(&result)) {
    throw std::runtime_error("test certificate does not parse: " + error->message);
  }
  return std::get<std::shared_ptr<const x509::Certificate>>(result);
}

ir::CertId AddCert(ir::Program& program, const std::string& name,
                   std::shared_ptr<const x509::Certificate> certificate) {
  ir::Cert cert;
  cert.name = name;
  cert.display_name = name;
  cert.file = "certs/" + name + ".pem";
  cert.certificate = std::move(certificate);
  program.certs.push_back(std::move(cert));
  return ir::CertId{static_cast<uint32_t>(program.certs.size() - 1)};
}

ir::Trust MakeTrust(ir::CertId cert, const std::string& entity_name) {
  ir::Trust trust;
  trust.cert = cert;
  trust.entity_name = entity_name;
  return trust;
}

ir::Gateway MakeGateway(const std::string& name, std::vector<ir::Trust> trusts,
                        std::vector<ir::IdentityProvider> providers) {
  ir::Gateway gateway;
  gateway.name = name;
  gateway.trusts = std::move(trusts);
  gateway.providers = std::move(providers);
  return gateway;
}

ir::User MakeUser(const std::string& login, const std::string& dn) {
  ir::User user;
  user.login = login;
  user.name = login;  // a user with a login is named by it (ir::User)
  user.dn = dn;
  return user;
}

ir::Program SampleProgram() {
  ir::Program program;
  program.root_source = "main.trust";
  ir::CertId ca = AddCert(program, "partner_ca", MakeCertificate("Partner CA", 4242));
  ir::Gateway gateway;
  gateway.name = "prod";
  ir::Trust trust = MakeTrust(ca, "Partner CA");
  trust.purposes[static_cast<size_t>(ir::Purpose::kSigningClientCerts)] = true;
  gateway.trusts.push_back(trust);
  ir::IdentityProvider provider;
  provider.id = "partners";
  provider.display_name = "Partners";
  provider.x509 = true;
  provider.validation = ir::Validation::kPath;
  provider.trusted.push_back(ca);
  ir::User alice = MakeUser("alice", "CN=alice,O=Partner");
  alice.email = "alice@partner.example";
  provider.users.push_back(alice);
  gateway.providers.push_back(provider);
  program.gateways.push_back(gateway);
  return program;
}

}  // namespace trust::test
