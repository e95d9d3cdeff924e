// A content-addressed cache of certificate facts, in memory and on disk.
//
// Decoding a certificate with OpenSSL 3.0 (d2i_X509, mostly its public key) costs 100-190 µs;
// reading and hashing the file costs a tenth of that. The cache is keyed by the SHA-256 of the
// file's bytes and invalidated by nothing but those bytes: a hit gives the same facts and DER
// that ParseCertificate would, without decoding. Within one process every distinct file is
// decoded at most once; across processes only files never seen before are decoded.
//
// On disk the cache is one append-only pack file, `DIR/certs-v2.pack` (layout in
// facts_cache.cpp): one file rather than a file per certificate, because creating 10,000 small
// files cost more than decoding the certificates did. It is read once, on the first Load, and
// the entries this process decoded are appended in one write, under an exclusive flock, by
// Flush (the destructor flushes too). A record whose checksum fails, or a torn tail left by a
// crash, is a miss; signature verdicts are kept the same way. The pack starts over when it would
// pass kMaxPackBytes. Only successful parses are cached: a file with a problem is parsed (and
// reported) every time.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runtime/pem/certificate.h"

namespace trust::pem {

class FactsCache {
 public:
  static constexpr size_t kMaxPackBytes = size_t{256} << 20;

  // `dir` empty: in-memory only.
  explicit FactsCache(std::filesystem::path dir);
  ~FactsCache();
  FactsCache(const FactsCache&) = delete;
  FactsCache& operator=(const FactsCache&) = delete;

  // TRUSTC_CACHE_DIR if set ("" or "off": no disk cache, returns an empty path), else
  // $XDG_CACHE_HOME/trustc, else $HOME/.cache/trustc.
  static std::filesystem::path DefaultDirectory();

  // ParseCertificate(file_bytes), served from the cache when possible.
  LoadResult Load(std::string_view file_bytes);

  // certificate.IsSignedBy(issuer), remembered like the facts: checking a signature decodes
  // both certificates, which a warm build should not pay for again.
  bool IsSignedBy(const Certificate& certificate, const Certificate& issuer);

  // Appends what this process decoded to the pack. Best effort: a cache that cannot be written
  // only costs time.
  void Flush();

  size_t decoded() const { return decoded_; }  // how many loads had to decode (for tests)

 private:
  void ReadPack();
  std::optional<std::string_view> BodyOnDisk(const std::string& key) const;

  std::filesystem::path dir_;
  bool pack_read_ = false;
  std::string pack_;                                           // the pack file's bytes
  std::unordered_map<std::string, std::string_view> on_disk_;  // raw key -> record body
  std::unordered_map<std::string, std::shared_ptr<const Certificate>> memory_;  // raw key
  std::unordered_map<std::string, bool> verdicts_;  // raw key of the pair -> signed
  std::string pending_;  // records decoded by this process, not yet appended
  size_t decoded_ = 0;
};

}  // namespace trust::pem
