#include "compiler/importer/source_writer.h"

#include <openssl/pem.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "compiler/importer/names.h"

namespace trust::importer {
namespace {

struct KeyValue {
  std::string keyword;
  std::string value;  // already quoted
};

std::string Indent(int depth) { return std::string(static_cast<size_t>(depth) * 2, ' '); }

// Consecutive key-value items share one argument column, as `trustc fmt` aligns them.
void WriteKeyValues(const std::vector<KeyValue>& items, int depth, std::string* out) {
  size_t width = 0;
  for (const KeyValue& item : items) width = std::max(width, item.keyword.size());
  for (const KeyValue& item : items) {
    std::string keyword = item.keyword;
    if (items.size() >= 2) keyword.resize(width, ' ');
    *out += Indent(depth) + keyword + " " + item.value + "\n";
  }
}

}  // namespace

std::string CertificatePem(const x509::Certificate& certificate) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_X509(bio.get(), certificate.x509());
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

namespace {

bool SameFileContents(const std::filesystem::path& path, const std::string& contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return true;  // absent: free to use
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str() == contents;
}

std::string Words(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

class Writer {
 public:
  Writer(const Estate& estate, const std::filesystem::path& output_dir, const Baseline& baseline)
      : estate_(estate), output_dir_(output_dir), baseline_(baseline) {}

  WrittenSource Write() {
    NameDeclarations();
    Header();
    for (size_t i = 0; i < estate_.certs.size(); ++i) Cert(i);
    for (const ImportedGateway& gateway : estate_.gateways) Gateway(gateway);
    for (size_t i = 0; i < estate_.keystores.size(); ++i) Keystore(i);
    return std::move(result_);
  }

 private:
  // Gateways first: their names feed the bundle ids and must survive a round trip unchanged.
  void NameDeclarations() {
    for (const ImportedGateway& gateway : estate_.gateways) {
      gateway_names_.push_back(top_.Claim(gateway.name));
    }
    for (const ImportedKeystore& keystore : estate_.keystores) {
      keystore_names_.push_back(top_.Claim(keystore.name));
    }
    display_.resize(estate_.certs.size());
    for (const ImportedGateway& gateway : estate_.gateways) {
      for (const ImportedTrust& trust : gateway.trusts) {
        if (display_[trust.cert].empty()) display_[trust.cert] = trust.entity_name;
      }
    }
    for (size_t i = 0; i < estate_.certs.size(); ++i) {
      const ImportedCert& cert = estate_.certs[i];
      std::string base = x509::CommonName(cert.certificate->facts().SubjectDn())
                             .value_or(display_[i].empty() ? cert.first_name : display_[i]);
      // An entity name that is already an identifier (trustc's own default) is kept as is.
      bool verbatim = IsIdentifier(display_[i]) && !top_.Taken(display_[i]);
      cert_names_.push_back(top_.Claim(verbatim ? display_[i] : Identifier(base, "cert")));
      cert_files_.push_back(ClaimFile(FileStem(base, "cert"), CertificatePem(*cert.certificate)));
      if (display_[i].empty()) display_[i] = cert_names_[i];
    }
  }

  std::string ClaimFile(const std::string& stem, std::string pem) {
    std::string name;
    do {
      name = files_.Claim(stem) + ".pem";
    } while (!SameFileContents(output_dir_ / name, pem));
    result_.cert_files[name] = std::move(pem);
    return name;
  }

  void Header() {
    std::vector<std::string> sources;
    for (const ImportedGateway& gateway : estate_.gateways) sources.push_back(gateway.source);
    for (const ImportedKeystore& keystore : estate_.keystores) {
      sources.push_back(std::filesystem::path(keystore.path).filename().string());
    }
    out_ += "// Imported by `trustc import` from " + Words(sources) + ".\n";
    if (!estate_.certs.empty()) out_ += "// Certificate files are beside this file.\n";
    if (!estate_.keystores.empty()) {
      out_ +=
          "// Each keystore `path` is the file that was read: set where the store lives on its\n";
      out_ += "// host (`${env:...}` is allowed there) before the first apply.\n";
    }
  }

  void Cert(size_t index) {
    const ImportedCert& cert = estate_.certs[index];
    const x509::CertFacts& facts = cert.certificate->facts();
    out_ += "\ncert " + cert_names_[index] + " {\n";
    std::vector<KeyValue> items = {{"file", Quote(cert_files_[index])}};
    if (display_[index] != cert_names_[index]) items.push_back({"name", Quote(display_[index])});
    if (SubjectRoundTrips(facts)) items.push_back({"subject", Quote(facts.subject)});
    items.push_back({"sha256", Quote(facts.sha256)});
    WriteKeyValues(items, 1, &out_);
    Waivers(baseline_.cert_rules, cert_names_[index], 1);
    out_ += "}\n";
  }

  // The subject is written only when the compiler will read it back as the same DN: always,
  // unless the facts had to keep the name's structure (its text does not parse back exactly).
  static bool SubjectRoundTrips(const x509::CertFacts& facts) {
    if (facts.subject.empty()) return false;
    if (facts.subject_kept == nullptr) return true;
    std::string error;
    std::optional<x509::DistinguishedName> dn = x509::ParseDn(facts.subject, &error);
    return dn && x509::DnEqual(*dn, *facts.subject_kept);
  }

  void Gateway(const ImportedGateway& gateway) {
    size_t index = static_cast<size_t>(&gateway - estate_.gateways.data());
    out_ += "\n// From " + gateway.source + ".\n";
    out_ += "gateway " + gateway_names_[index] + " {\n";
    bool first = true;
    if (gateway.mapping == ir::Mapping::kById) {
      out_ += Indent(1) + "mapping by_id\n";
      first = false;
    }
    if (gateway.trusts.empty() && gateway.providers.empty()) {
      out_ += Indent(1) + "// The bundle holds no trusted certificate and no federated provider.\n";
    }
    NameScope policies;
    std::vector<std::string> policy_names;
    for (const ImportedRevocationPolicy& policy : gateway.revocation_policies) {
      if (!first) out_ += "\n";
      first = false;
      policy_names.push_back(policies.Claim(Identifier(policy.name, "revocation_policy")));
      RevocationPolicy(policy, policy_names.back());
    }
    for (const ImportedTrust& trust : gateway.trusts) {
      if (!first) out_ += "\n";
      first = false;
      Trust(trust, gateway_names_[index], policy_names);
    }
    NameScope providers;
    for (const ImportedProvider& provider : gateway.providers) {
      if (!first) out_ += "\n";
      first = false;
      Provider(provider, providers.Claim(Identifier(provider.name, "provider")));
    }
    out_ += "}\n";
  }

  void RevocationPolicy(const ImportedRevocationPolicy& policy, const std::string& id) {
    out_ += Indent(1) + "revocation_policy " + id + " {\n";
    if (policy.name != id) out_ += Indent(2) + "name " + Quote(policy.name) + "\n";
    if (policy.default_policy) out_ += Indent(2) + "default_policy\n";
    if (policy.continue_on_unavailable) out_ += Indent(2) + "continue_on_unavailable\n";
    if (policy.default_success) out_ += Indent(2) + "default_success\n";
    for (const ImportedRevocationCheck& check : policy.checks) RevocationCheck(check);
    out_ += Indent(1) + "}\n";
  }

  // `from certificate` with the gateway's any-URL expression needs no `matching`.
  void RevocationCheck(const ImportedRevocationCheck& check) {
    std::string line = Indent(2) + "check " + (check.ocsp ? "ocsp" : "crl");
    if (!check.from_certificate) {
      line += " url " + Quote(check.url);
    } else {
      line += " from certificate";
      if (check.url != ".*") line += " matching " + Quote(check.url);
    }
    std::vector<std::string> signers;
    for (size_t cert : check.signers) signers.push_back(cert_names_[cert]);
    if (!check.allow_issuer_signature && signers.empty()) {
      out_ += line + "\n";
      return;
    }
    out_ += line + " {\n";
    if (check.allow_issuer_signature) out_ += Indent(3) + "allow_issuer_signature\n";
    if (!signers.empty()) out_ += Indent(3) + "signer " + Words(signers) + "\n";
    out_ += Indent(2) + "}\n";
  }

  void Trust(const ImportedTrust& trust, const std::string& gateway,
             const std::vector<std::string>& policy_names) {
    out_ += Indent(1) + "trust " + cert_names_[trust.cert] + " {\n";
    if (trust.entity_name != display_[trust.cert]) {
      out_ += Indent(2) + "name " + Quote(trust.entity_name) + "\n";
    }
    if (trust.anchor) out_ += Indent(2) + "anchor\n";
    std::vector<std::string> purposes;
    for (ir::Purpose purpose : ir::AllPurposes()) {
      if (trust.purposes[static_cast<size_t>(purpose)]) {
        purposes.emplace_back(ir::PurposeWord(purpose));
      }
    }
    if (!purposes.empty()) out_ += Indent(2) + "for " + Words(purposes) + "\n";
    if (!trust.verify_hostname) out_ += Indent(2) + "verify_hostname off\n";
    if (!trust.revocation_checking) {
      out_ += Indent(2) + "revocation off because " +
              Quote("imported: revocation checking was disabled on the gateway") + "\n";
    } else if (trust.revocation_policy) {
      out_ += Indent(2) + "revocation policy " + policy_names[*trust.revocation_policy] + "\n";
    }
    Waivers(baseline_.trust_rules, std::pair{gateway, cert_names_[trust.cert]}, 2);
    out_ += Indent(1) + "}\n";
  }

  void Provider(const ImportedProvider& provider, const std::string& id) {
    out_ += Indent(1) + "identity_provider " + id + " {\n";
    if (provider.name != id) out_ += Indent(2) + "name " + Quote(provider.name) + "\n";
    std::vector<std::string> credentials;
    if (provider.x509) credentials.push_back("x509");
    if (provider.saml) credentials.push_back("saml");
    out_ += Indent(2) + "credentials " + Words(credentials) + "\n";
    if (provider.validation != ir::Validation::kGatewayDefault) {
      out_ +=
          Indent(2) + "validation " + std::string(ir::ValidationWord(provider.validation)) + "\n";
    }
    std::vector<std::string> certs;
    for (size_t cert : provider.certs) certs.push_back(cert_names_[cert]);
    if (!certs.empty()) out_ += Indent(2) + "trust " + Words(certs) + "\n";
    for (const ImportedUser& user : provider.users) User(user);
    out_ += Indent(1) + "}\n";
  }

  void User(const ImportedUser& user) {
    std::vector<KeyValue> items;
    if (!user.dn.empty()) items.push_back({"dn", Quote(user.dn)});
    if (!user.email.empty()) items.push_back({"email", Quote(user.email)});
    if (!user.first_name.empty()) items.push_back({"first_name", Quote(user.first_name)});
    if (!user.last_name.empty()) items.push_back({"last_name", Quote(user.last_name)});
    if (user.cert) items.push_back({"attach", cert_names_[*user.cert]});
    // A login-less user is declared by its name.
    std::string head =
        "user " + (user.login.empty() ? "name " + Quote(user.name) : Quote(user.login));
    if (items.empty()) {
      out_ += Indent(2) + head + " {\n" + Indent(2) + "}\n";
      return;
    }
    out_ += Indent(2) + head + " {\n";
    WriteKeyValues(items, 3, &out_);
    out_ += Indent(2) + "}\n";
  }

  void Keystore(size_t index) {
    const ImportedKeystore& keystore = estate_.keystores[index];
    out_ += "\nkeystore " + keystore_names_[index] + " {\n";
    out_ += Indent(1) + "format " + std::string(keystore::StoreFormatName(keystore.format)) + "\n";
    out_ += Indent(1) + "path " + Quote(keystore.path) + "\n";
    if (keystore.password_env.empty()) {
      out_ += Indent(1) + "password none\n";
    } else {
      out_ += Indent(1) + "password env " + Quote(keystore.password_env) + "\n";
    }
    for (const ImportedEntry& entry : keystore.entries) {
      out_ += Indent(1) + "trust " + cert_names_[entry.cert] + " as " + Quote(entry.alias) + "\n";
    }
    out_ += "}\n";
  }

  // The baseline's waivers of the block keyed `key`, at `depth`.
  template <typename Key>
  void Waivers(const std::map<Key, std::vector<std::string>>& rules, const Key& key, int depth) {
    auto it = rules.find(key);
    if (it == rules.end()) return;
    for (const std::string& rule : it->second) {
      out_ += Indent(depth) + "allow " + rule + " because " +
              Quote(std::string(ir::kBaselineReason)) + "\n";
    }
  }

  const Estate& estate_;
  std::filesystem::path output_dir_;
  const Baseline& baseline_;
  NameScope top_;
  NameScope files_;
  std::vector<std::string> gateway_names_;
  std::vector<std::string> keystore_names_;
  std::vector<std::string> cert_names_;
  std::vector<std::string> cert_files_;
  std::vector<std::string> display_;  // the entity name a cert's `name` item gives
  WrittenSource result_;
  std::string& out_ = result_.source;
};

}  // namespace

WrittenSource WriteSource(const Estate& estate, const std::filesystem::path& output_dir,
                          const Baseline& baseline) {
  Writer writer(estate, output_dir, baseline);
  return writer.Write();
}

}  // namespace trust::importer
