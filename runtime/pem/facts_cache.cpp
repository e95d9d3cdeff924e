#include "runtime/pem/facts_cache.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace trust::pem {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kVersion = "certs-v1";

json DnToJson(const DistinguishedName& dn) {
  json rdns = json::array();
  for (const Rdn& rdn : dn.rdns) {
    json attributes = json::array();
    for (const DnAttribute& a : rdn) attributes.push_back({a.type, a.value});
    rdns.push_back(std::move(attributes));
  }
  return rdns;
}

DistinguishedName DnFromJson(const json& rdns) {
  DistinguishedName dn;
  for (const json& rdn : rdns) {
    Rdn out;
    for (const json& a : rdn)
      out.push_back({a.at(0).get<std::string>(), a.at(1).get<std::string>()});
    dn.rdns.push_back(std::move(out));
  }
  return dn;
}

std::string Hex(const std::vector<uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0xF];
  }
  return hex;
}

std::vector<uint8_t> Unhex(const std::string& hex) {
  std::vector<uint8_t> bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

json ToJson(const Certificate& certificate) {
  const CertFacts& f = certificate.facts();
  return {{"subject", f.subject},
          {"issuer", f.issuer},
          {"subject_dn", DnToJson(f.subject_dn)},
          {"issuer_dn", DnToJson(f.issuer_dn)},
          {"serial", f.serial_decimal},
          {"not_before", f.not_before},
          {"not_after", f.not_after},
          {"key_type", static_cast<int>(f.key_type)},
          {"key_bits", f.key_bits},
          {"signature_hash", f.signature_hash},
          {"is_ca", f.is_ca},
          {"has_key_usage", f.has_key_usage},
          {"key_cert_sign", f.key_cert_sign},
          {"self_signed", f.self_signed},
          {"sha256", f.sha256},
          {"der", Hex(certificate.der())}};
}

std::shared_ptr<const Certificate> FromJson(const json& j) {
  CertFacts f;
  f.subject = j.at("subject").get<std::string>();
  f.issuer = j.at("issuer").get<std::string>();
  f.subject_dn = DnFromJson(j.at("subject_dn"));
  f.issuer_dn = DnFromJson(j.at("issuer_dn"));
  f.serial_decimal = j.at("serial").get<std::string>();
  f.not_before = j.at("not_before").get<int64_t>();
  f.not_after = j.at("not_after").get<int64_t>();
  f.key_type = static_cast<KeyType>(j.at("key_type").get<int>());
  f.key_bits = j.at("key_bits").get<int>();
  f.signature_hash = j.at("signature_hash").get<std::string>();
  f.is_ca = j.at("is_ca").get<bool>();
  f.has_key_usage = j.at("has_key_usage").get<bool>();
  f.key_cert_sign = j.at("key_cert_sign").get<bool>();
  f.self_signed = j.at("self_signed").get<bool>();
  f.sha256 = j.at("sha256").get<std::string>();
  std::vector<uint8_t> der = Unhex(j.at("der").get<std::string>());
  if (der.empty() || Sha256Hex(der) != f.sha256) return nullptr;  // damaged or forged entry
  return std::make_shared<const Certificate>(std::move(der), std::move(f));
}

}  // namespace

FactsCache::FactsCache(fs::path dir) : dir_(std::move(dir)) {}

FactsCache FactsCache::FromEnvironment() {
  if (const char* dir = std::getenv("TRUSTC_CACHE_DIR")) {
    std::string value = dir;
    return FactsCache(value == "off" ? fs::path() : fs::path(value));
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg) {
    return FactsCache(fs::path(xdg) / "trustc");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home) {
    return FactsCache(fs::path(home) / ".cache" / "trustc");
  }
  return FactsCache(fs::path());
}

LoadResult FactsCache::Load(std::string_view file_bytes) {
  std::string key = Sha256Hex(file_bytes);
  if (auto it = memory_.find(key); it != memory_.end()) return it->second;
  if (auto cached = ReadEntry(key)) {
    memory_[key] = cached;
    return cached;
  }
  ++decoded_;
  LoadResult result = ParseCertificate(file_bytes);
  if (auto* certificate = std::get_if<std::shared_ptr<const Certificate>>(&result)) {
    memory_[key] = *certificate;
    WriteEntry(key, **certificate);
  }
  return result;
}

std::shared_ptr<const Certificate> FactsCache::ReadEntry(const std::string& key) const {
  if (dir_.empty()) return nullptr;
  std::ifstream in(dir_ / kVersion / key.substr(0, 2) / (key + ".json"));
  if (!in) return nullptr;
  try {
    return FromJson(json::parse(in));
  } catch (const std::exception&) {
    return nullptr;  // a damaged entry is a miss; the next write replaces it
  }
}

// Best effort: a cache that cannot be written only costs time.
void FactsCache::WriteEntry(const std::string& key, const Certificate& certificate) const {
  if (dir_.empty()) return;
  std::error_code ec;
  fs::path dir = dir_ / kVersion / key.substr(0, 2);
  fs::create_directories(dir, ec);
  if (ec) return;
  fs::path temp = dir / (key + ".tmp." + std::to_string(::getpid()));
  {
    std::ofstream out(temp);
    out << ToJson(certificate).dump();
    if (!out.flush()) {
      fs::remove(temp, ec);
      return;
    }
  }
  fs::rename(temp, dir / (key + ".json"), ec);
  if (ec) fs::remove(temp, ec);
}

}  // namespace trust::pem
