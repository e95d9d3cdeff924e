// A content-addressed cache of certificate facts, in memory and on disk.
//
// Decoding a certificate with OpenSSL 3.0 (d2i_X509, mostly its public key) costs 100-190 µs;
// reading and hashing the file costs a tenth of that. The cache is keyed by the SHA-256 of the
// file's bytes and invalidated by nothing but those bytes: a hit gives the same facts and DER
// that ParseCertificate would, without decoding. Within one process every distinct file is
// decoded at most once; across processes only files never seen before are decoded.
//
// The on-disk entry is a JSON file `DIR/certs-v1/KEY[0:2]/KEY.json`, written atomically. An
// entry that does not parse, or whose DER does not hash to its recorded sha256, is a miss.
// Only successful parses are cached: a file with a problem is parsed (and reported) every time.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/pem/certificate.h"

namespace trust::pem {

class FactsCache {
 public:
  // `dir` empty: in-memory only.
  explicit FactsCache(std::filesystem::path dir);

  // TRUSTC_CACHE_DIR if set ("" or "off" disables the disk), else $XDG_CACHE_HOME/trustc, else
  // $HOME/.cache/trustc.
  static FactsCache FromEnvironment();

  // ParseCertificate(file_bytes), served from the cache when possible.
  LoadResult Load(std::string_view file_bytes);

  size_t decoded() const { return decoded_; }  // how many loads had to decode (for tests)

 private:
  std::shared_ptr<const Certificate> ReadEntry(const std::string& key) const;
  void WriteEntry(const std::string& key, const Certificate& certificate) const;

  std::filesystem::path dir_;
  std::map<std::string, std::shared_ptr<const Certificate>> memory_;
  size_t decoded_ = 0;
};

}  // namespace trust::pem
