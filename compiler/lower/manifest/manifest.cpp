#include "compiler/lower/manifest/manifest.h"

namespace trust::lower::manifest {
namespace m = trust::manifest;

namespace {

m::Password PasswordOf(const ir::Password& password) {
  switch (password.kind) {
    case ir::Password::Kind::kEnv:
      return m::PasswordEnv{password.value};
    case ir::Password::Kind::kFile:
      return m::PasswordFile{password.value};
    case ir::Password::Kind::kNone:
      return m::PasswordNone{};
  }
  return m::PasswordNone{};
}

}  // namespace

std::string CertArtifactPath(const x509::Certificate& certificate) {
  return "certs/" + certificate.facts().sha256 + ".der";
}

m::Manifest LowerKeystore(const ir::Program& program, const ir::Keystore& keystore,
                          std::string_view generator) {
  m::Manifest out;
  out.generator = std::string(generator);
  out.source = program.root_source;
  out.keystore = keystore.name;
  out.host = keystore.host;
  out.format = keystore.format;
  out.path = keystore.path;
  out.password = PasswordOf(keystore.password);
  out.create = keystore.create;
  for (const ir::KeystoreEntry& entry : keystore.entries) {
    const x509::Certificate& certificate = *program.cert(entry.cert).certificate;
    out.entries.push_back({.alias = entry.alias,
                           .cert = "../" + CertArtifactPath(certificate),
                           .sha256 = certificate.facts().sha256,
                           .subject = certificate.facts().subject,
                           .not_after = x509::FormatUtc(certificate.facts().not_after),
                           .replace = entry.replace,
                           .require_endpoint = entry.require_endpoint});
  }
  out.remove = keystore.remove;
  return out;
}

}  // namespace trust::lower::manifest
