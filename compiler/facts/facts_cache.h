// A content-addressed cache of certificate facts, in memory and on disk.
//
// Decoding a certificate with OpenSSL 3.0 (d2i_X509, mostly its public key) costs 100-190 µs;
// reading and hashing the file costs a tenth of that. The cache is keyed by the SHA-256 of the
// file's bytes and invalidated by nothing but those bytes: a hit gives the same facts and DER
// that ParseCertificate would, without decoding. Within one process every distinct file is
// decoded at most once; across processes only files never seen before are decoded. The same
// pack keeps other results computed from content (Recall, Store): the syntax trees of parsed
// modules (driver/load.cpp), so that a build parses only the modules that changed.
//
// On disk the cache is one append-only pack file, `DIR/certs-v2.pack` (layout in
// facts_cache.cpp): one file rather than a file per certificate, because creating 10,000 small
// files cost more than decoding the certificates did. It is indexed once, on the first Load (each
// record this process uses is read again by its offset when asked for), and the entries this
// process decoded are appended in one write, under an exclusive flock, by Flush (the destructor
// flushes too). Only successful parses are cached: a file with a problem is parsed (and reported)
// every time.
//
// The cache may be shared (a CI cache restored between jobs) and its facts decide what a build
// trusts, so a record is believed only if its HMAC-SHA256, under a random per-user key kept in
// `DIR/hmac-key` (0600), covers the producer (the trustc version), the file's SHA-256 and the
// facts. Anything else (a forged, swapped, damaged or torn record, one written by another
// version) is a miss and recomputed. The directory must be ours and writable by nobody else
// (it is created 0700); files in it are opened without following links or blocking on FIFOs,
// must be regular files of ours, and are never truncated: a missing, full or outdated pack is
// replaced whole by renaming a fresh file over it, and anything not ours is left alone.
//
// The pack is bounded (CacheOptions): every record carries the day it was last used by a build
// (authenticated with it). Flush rewrites the pack, keeping the records used by this build
// (stamped today) and those used within `keep_days`, when it would exceed `compact_at_bytes`,
// when at least half of it is stale (unused for longer), when it is damaged, or when a record
// this build used was stamped more than `refresh_days` ago (so stamps stay current without a
// write per build). A long-lived CI cache thus holds what recent builds used, and a build reads
// at most `compact_at_bytes`. The clock decides only what the cache keeps, never a fact: build
// outputs do not depend on it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/digest.h"
#include "compiler/facts/der_spill.h"
#include "runtime/x509/certificate.h"

namespace trust::facts {

// When Flush rewrites the pack, and what it keeps (see above).
struct CacheOptions {
  size_t compact_at_bytes = size_t{64} << 20;
  // New records are appended before Flush once they reach this many bytes, so that a cold
  // build does not hold them all (about 0.5 KB a certificate) until the end.
  size_t append_at_bytes = size_t{4} << 20;
  uint32_t keep_days = 30;
  uint32_t refresh_days = 7;
  std::optional<uint32_t> today;  // days since 1970-01-01; unset: the system clock (tests set it)
  // A damaged pack is rebuilt, never an error: the message goes here (unset: standard error,
  // prefixed "trustc: warning: "). The cache is not part of the program: no diagnostic.
  std::function<void(const std::string&)> warn;
  // Keep the DER of the certificates Load gives out in an unnamed file of the cache directory
  // (der_spill.h) rather than in memory, when the directory can be had: for a check that holds
  // every certificate of a program at once (not a language-server session, whose certificates
  // outlive many checks and are few).
  bool spill_der = false;
};

// Rewrites `pack` (a pack file's bytes) for Flush, and for tests and the fuzz target: the magic
// line, then every well-formed record whose raw key is in `used` (stamped `today`, one per key
// and tag) or whose stamp is within `keep_days` of `today`, then `fresh` (records already
// stamped today); when that exceeds half of `compact_at_bytes`, the oldest unused records go
// first. Records keep their order; the result is a function of the arguments only.
std::string CompactPack(std::string_view pack, const std::function<bool(std::string_view)>& used,
                        std::string_view fresh, std::string_view secret, std::string_view producer,
                        uint32_t today, const CacheOptions& options);

class FactsCache {
 public:
  static constexpr size_t kMaxPackBytes = size_t{256} << 20;

  // `dir` empty: in-memory only. `producer` names the program and version that computes the
  // facts (records of another producer are not believed).
  FactsCache(std::filesystem::path dir, std::string producer, CacheOptions options = {});

  // A cache whose pack is `pack`, authenticated with `secret`, that never touches the disk
  // (the fuzz target reads arbitrary bytes as a pack this way).
  static std::unique_ptr<FactsCache> OverPack(std::string pack, std::string secret,
                                              std::string producer);
  ~FactsCache();
  FactsCache(const FactsCache&) = delete;
  FactsCache& operator=(const FactsCache&) = delete;

  // TRUSTC_CACHE_DIR if set ("" or "off": no disk cache, returns an empty path), else
  // $XDG_CACHE_HOME/trustc, else $HOME/.cache/trustc.
  static std::filesystem::path DefaultDirectory();

  // ParseCertificate(file_bytes), served from the cache when possible. With `file_sha256`, also
  // the SHA-256 of the bytes, which the cache computes for its key anyway.
  x509::LoadResult Load(std::string_view file_bytes,
                        std::array<uint8_t, 32>* file_sha256 = nullptr);

  // Load in two halves, so that what needs only a file's bytes (hashing them, finding and
  // authenticating their record, or else decoding the certificate: most of the time Load takes)
  // can be done for many files by a few threads at once; sema's certificate loading does.
  // ReadyToPrepare first (it reads the pack's index), then Prepare from any number of threads,
  // but never while a Load runs; then Load with the same bytes and what Prepare made of them
  // gives what Load(file_bytes) would. A Prepared holds nothing but the key when the certificate
  // was in memory already.
  struct Prepared {
    std::string key;                       // the raw SHA-256 of the file's bytes
    std::optional<x509::CertFacts> facts;  // from an authentic record, or decoded
    std::string der;                       // the DER, unless that is the file's bytes
    uint32_t day = 0;                      // the record's stamp
    // Decoded (no record had it): the record to append, or why the bytes are no certificate.
    // The decoded X509 itself is not kept (see Prepare).
    std::string new_record;
    std::optional<x509::LoadError> failure;
    bool decoded() const { return failure.has_value() || !new_record.empty(); }
  };
  void ReadyToPrepare();
  Prepared Prepare(std::string_view file_bytes) const;
  x509::LoadResult Load(std::string_view file_bytes, Prepared prepared,
                        std::array<uint8_t, 32>* file_sha256);

  // certificate.IsSignedBy(issuer), remembered like the facts: checking a signature decodes
  // both certificates, which a warm build should not pay for again.
  bool IsSignedBy(const x509::Certificate& certificate, const x509::Certificate& issuer);

  // Any other result computed from content, kept like the facts (authenticated, stamped,
  // compacted with them): the parse cache's syntax trees (driver/load.cpp). `key` is the raw
  // SHA-256 of everything the result depends on, led by a label of the caller's own (as
  // IsSignedBy's "signed-by:"), so that two kinds of result never share a key. A body larger
  // than a record may be is not kept. Recall gives nothing for a key never stored, or whose
  // record does not authenticate.
  std::optional<std::string> Recall(std::string_view key);
  void Store(std::string_view key, std::string_view body);

  // Appends what this process decoded to the pack. Best effort: a cache that cannot be written
  // only costs time.
  void Flush();

  size_t decoded() const { return decoded_; }  // how many loads had to decode (for tests)

  // The raw keys (SHA-256 of a file, or of a signature question) this cache answered from the
  // pack or computed: what compaction keeps.
  bool Used(std::string_view raw_key) const;

 private:
  // A raw SHA-256 (of a file, or of a signature question) as the maps' key, held inline: as a
  // std::string, each of a large build's 100,000 keys was a heap block of its own, in two maps.
  struct RawKey {
    std::array<char, 32> bytes{};
    explicit RawKey(std::string_view raw);
    std::string_view view() const { return {bytes.data(), bytes.size()}; }
    bool operator==(const RawKey&) const = default;
    bool operator<(const RawKey& other) const { return bytes < other.bytes; }
  };
  struct RawKeyHash {
    size_t operator()(const RawKey& key) const { return std::hash<std::string_view>{}(key.view()); }
  };

  bool OpenDisk();
  void ReadPack();
  void IndexPack(std::string_view pack);
  // Where a record is in the pack: after its length field, `size` bytes (stamp, tag, key and
  // body), and the day it was stamped.
  struct IndexedRecord {
    uint64_t offset = 0;
    uint32_t size = 0;
    uint32_t day = 0;
  };
  std::optional<std::string> RecordBytes(const IndexedRecord& record) const;
  // The body of the first record of `key` that authenticates, and its stamp.
  std::optional<std::pair<std::string, uint32_t>> BodyOnDisk(std::string_view key) const;
  void Remember(std::string_view key, std::string_view body);
  // The certificate Load gives out: `der` spilled (CacheOptions::spill_der) or held.
  std::shared_ptr<const x509::Certificate> Keep(std::string_view der, x509::CertFacts facts);
  void AppendEarly();
  uint32_t Today() const;
  bool WantsCompaction(size_t fresh_bytes) const;
  void Compact(int fd, std::string_view fresh);

  std::filesystem::path dir_;
  std::string producer_;
  CacheOptions options_;
  bool disk_opened_ = false;
  int dir_fd_ = -1;     // the cache directory, once checked
  std::string secret_;  // the HMAC key
  // Keyed with secret_ once it is had (it authenticates every record read or written); null
  // before.
  std::unique_ptr<base::HmacSha256> mac_;
  bool pack_read_ = false;
  // The pack as read: its records are read again by offset when asked for (`pack_fd_`, kept
  // open, so a pack another process replaces meanwhile is not mixed in), never all held: a
  // 100,000-certificate build held 50 MB of pack beside the certificates made from it. A cache
  // OverPack has no file and keeps the bytes in `pack_`.
  int pack_fd_ = -1;
  std::string pack_;
  size_t pack_size_ = 0;
  // Each record of the pack by raw key (another version may have one of the same key), sorted by
  // key and, within a key, in pack order: a sorted array of 48-byte entries rather than a hash
  // table, which held a heap block of 80 bytes (with its links and hash) per record.
  struct IndexEntry {
    RawKey key;
    IndexedRecord record;
  };
  std::vector<IndexEntry> on_disk_;
  uint32_t oldest_used_day_ = UINT32_MAX;  // the oldest stamp of a record this build used
  bool damaged_ = false;                   // the pack holds bytes that are no record
  std::unordered_map<RawKey, std::shared_ptr<const x509::Certificate>, RawKeyHash> memory_;
  std::unordered_map<RawKey, bool, RawKeyHash> verdicts_;  // the pair's key -> signed
  std::unordered_set<RawKey, RawKeyHash> recalled_;        // Recall's and Store's keys
  // What this process computed, not yet appended: empty, or the magic line and the records
  // made since the last Flush (a whole pack, so that a missing one is written as it stands).
  std::string pending_;
  size_t pending_records_ = 0;  // how many
  size_t decoded_ = 0;
  bool spill_opened_ = false;
  std::shared_ptr<DerSpill> spill_;  // where Keep puts the DER, once opened
};

}  // namespace trust::facts
