#include "compiler/facts/facts_cache.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <set>

#include "base/digest.h"

namespace trust::facts {
namespace {

namespace fs = std::filesystem;

// The pack: the magic line, then records
//   u32 body length | u32 last-used day | 32-byte tag | 32-byte key (SHA-256 of the file) | body
// all little-endian. The tag is HMAC-SHA256, under the per-user key in DIR/kKeyName, of the
// producer (the trustc version), the key, the day and the body: a record is believed only if it was
// written by this user with this version, so a planted or swapped record (or one written by a
// version with a since-fixed bug) is recomputed, never trusted. The body is the facts (Writer
// below), then the DER unless the file was the DER itself (then the file's bytes are the DER,
// and the key is its SHA-256). A signature verdict's key is the SHA-256 of "signed-by:" + both
// certificates' sha256, and its body is kVerdict followed by '0' or '1' (a certificate's body
// is never that short). Other results (Recall, Store) have keys their callers derive the same way,
// from a label of their own: a parsed module's is driver::ParsedModuleKey, its body
// ast::EncodeModule's. A certificate's record checks its own hash (DecodeBody), so no file can
// pass for a record of another kind.
constexpr std::string_view kMagic = "trustc facts v6\n";
constexpr std::string_view kPackName = "certs-v2.pack";
constexpr std::string_view kKeyName = "hmac-key";
constexpr size_t kKeyBytes = 32;
constexpr size_t kTagBytes = 32;
constexpr size_t kDayBytes = 4;
constexpr size_t kRecordHeader = 4 + kDayBytes + kTagBytes + kKeyBytes;
constexpr size_t kMaxBodyBytes = size_t{4} << 20;  // a certificate file is at most 1 MiB
constexpr char kVerdict = 'V';

class Writer {
 public:
  void Fixed(uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out_ += static_cast<char>((value >> (8 * i)) & 0xFF);
  }
  void Text(std::string_view text) {
    Fixed(text.size(), 4);
    out_ += text;
  }
  void Dn(const x509::DistinguishedName& dn) {
    Fixed(dn.rdns.size(), 4);
    for (const x509::Rdn& rdn : dn.rdns) {
      Fixed(rdn.size(), 4);
      for (const x509::DnAttribute& a : rdn) {
        Text(a.type);
        Text(a.value);
      }
    }
  }
  void Texts(const std::vector<std::string>& texts) {
    Fixed(texts.size(), 4);
    for (const std::string& text : texts) Text(text);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Reads what Writer wrote; any overrun makes ok() false (and every later read a no-op).
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint64_t Fixed(int bytes) {
    if (!Need(static_cast<size_t>(bytes))) return 0;
    uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
      value |= uint64_t{static_cast<unsigned char>(in_[i])} << (8 * i);
    in_.remove_prefix(static_cast<size_t>(bytes));
    return value;
  }
  std::string Text() { return std::string(TextView()); }
  // The same, pointing into the input.
  std::string_view TextView() {
    size_t size = Fixed(4);
    if (!Need(size)) return {};
    std::string_view text = in_.substr(0, size);
    in_.remove_prefix(size);
    return text;
  }
  x509::DistinguishedName Dn() {
    // Sized from the counts, bounded by the bytes left (an RDN takes at least 4, an attribute
    // 8): every certificate holds two of these, and growing them by doubling left slack.
    x509::DistinguishedName dn;
    uint64_t rdns = Fixed(4);
    dn.rdns.reserve(std::min<uint64_t>(rdns, in_.size() / 4));
    for (uint64_t r = rdns; ok_ && r > 0; --r) {
      x509::Rdn rdn;
      uint64_t attributes = Fixed(4);
      rdn.reserve(std::min<uint64_t>(attributes, in_.size() / 8));
      for (uint64_t a = attributes; ok_ && a > 0; --a) {
        std::string type = Text();
        rdn.push_back({std::move(type), Text()});
      }
      dn.rdns.push_back(std::move(rdn));
    }
    return dn;
  }
  std::vector<std::string> Texts() {
    std::vector<std::string> texts;
    for (uint64_t n = Fixed(4); ok_ && n > 0; --n) texts.push_back(Text());
    return texts;
  }
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }

 private:
  bool Need(size_t size) {
    if (ok_ && in_.size() >= size) return true;
    ok_ = false;
    return false;
  }
  std::string_view in_;
  bool ok_ = true;
};

std::string EncodeBody(const x509::Certificate& certificate, bool der_is_file) {
  const x509::CertFacts& f = certificate.facts();
  Writer w;
  w.Text(f.subject);
  w.Text(f.issuer);
  // The structures only of names whose text does not give them back (CertFacts::SetNames).
  w.Fixed(static_cast<uint64_t>(f.subject_kept != nullptr) |
              static_cast<uint64_t>(f.issuer_kept != nullptr) << 1,
          1);
  if (f.subject_kept) w.Dn(*f.subject_kept);
  if (f.issuer_kept) w.Dn(*f.issuer_kept);
  w.Text(f.serial_decimal);
  w.Fixed(static_cast<uint64_t>(f.not_before), 8);
  w.Fixed(static_cast<uint64_t>(f.not_after), 8);
  w.Fixed(static_cast<uint64_t>(f.key_type), 1);
  w.Fixed(static_cast<uint64_t>(f.key_bits), 4);
  w.Text(f.signature_hash);
  w.Fixed(static_cast<uint64_t>(f.is_ca) | static_cast<uint64_t>(f.has_key_usage) << 1 |
              static_cast<uint64_t>(f.key_cert_sign) << 2 |
              static_cast<uint64_t>(f.self_signed) << 3 | static_cast<uint64_t>(der_is_file) << 4,
          1);
  w.Text(f.sha256);
  w.Texts(f.ocsp_urls);
  w.Texts(f.crl_urls);
  if (!der_is_file) {
    std::vector<uint8_t> der = certificate.der();
    w.Text(std::string_view(reinterpret_cast<const char*>(der.data()), der.size()));
  }
  return std::move(w.bytes());
}

// A record's facts and the certificate's DER (the file's bytes, or the record's for PEM).
struct DecodedBody {
  x509::CertFacts facts;
  std::string_view der;
};

// `key` is the file's SHA-256 (raw); the DER may point into `body` or `file_bytes`.
std::optional<DecodedBody> DecodeBody(std::string_view body, const std::string& key,
                                      std::string_view file_bytes) {
  Reader r(body);
  x509::CertFacts f;
  f.subject = r.Text();
  f.issuer = r.Text();
  uint64_t kept = r.Fixed(1);
  if (kept & 1) f.subject_kept = std::make_shared<const x509::DistinguishedName>(r.Dn());
  if (kept & 2) f.issuer_kept = std::make_shared<const x509::DistinguishedName>(r.Dn());
  f.serial_decimal = r.Text();
  f.not_before = static_cast<int64_t>(r.Fixed(8));
  f.not_after = static_cast<int64_t>(r.Fixed(8));
  uint64_t key_type = r.Fixed(1);
  f.key_bits = static_cast<int>(r.Fixed(4));
  f.signature_hash = r.Text();
  uint64_t flags = r.Fixed(1);
  f.is_ca = flags & 1;
  f.has_key_usage = flags & 2;
  f.key_cert_sign = flags & 4;
  f.self_signed = flags & 8;
  bool der_is_file = flags & 16;
  f.sha256 = r.Text();
  f.ocsp_urls = r.Texts();
  f.crl_urls = r.Texts();
  std::string_view der = der_is_file ? file_bytes : r.TextView();
  if (!r.done() || kept > 3 || key_type > static_cast<uint64_t>(x509::KeyType::kOther) ||
      der.empty()) {
    return std::nullopt;
  }
  f.key_type = static_cast<x509::KeyType>(key_type);
  // A DER file's key is its DER's hash already; PEM's DER is checked against the recorded hash.
  if (!der_is_file && base::Sha256Hex(der) != f.sha256) return std::nullopt;
  if (der_is_file && base::Hex(key) != f.sha256) return std::nullopt;
  return DecodedBody{std::move(f), der};
}

std::string Tag(const base::HmacSha256& mac, std::string_view producer, std::string_view key,
                uint32_t day, std::string_view body) {
  Writer w;
  w.Text(producer);  // length-prefixed: producer and key cannot run into each other
  w.bytes() += key;
  w.Fixed(day, kDayBytes);
  return mac.Mac({w.bytes(), body});
}

std::string Record(uint32_t day, std::string_view tag, std::string_view key,
                   std::string_view body) {
  Writer w;
  w.Fixed(body.size(), 4);
  w.Fixed(day, kDayBytes);
  w.bytes() += tag;
  w.bytes() += key;
  w.bytes() += body;
  return std::move(w.bytes());
}

// One record of a pack, as views into it.
struct PackRecord {
  uint32_t day;
  std::string_view tag;
  std::string_view key;
  std::string_view body;
  std::string_view whole;  // the record's bytes, header included
};

// The well-formed records of a pack (after its magic line), in order, up to the first bytes
// that are no record (a torn tail, damage); `*clean` says whether the records fill the pack.
std::vector<PackRecord> ScanRecords(std::string_view rest, bool* clean) {
  std::vector<PackRecord> records;
  while (rest.size() >= kRecordHeader) {
    Reader header(rest);
    size_t size = header.Fixed(4);
    auto day = static_cast<uint32_t>(header.Fixed(kDayBytes));
    if (size > kMaxBodyBytes || rest.size() - kRecordHeader < size) break;
    size_t at = 4 + kDayBytes;
    records.push_back({day, rest.substr(at, kTagBytes), rest.substr(at + kTagBytes, kKeyBytes),
                       rest.substr(kRecordHeader, size), rest.substr(0, kRecordHeader + size)});
    rest.remove_prefix(kRecordHeader + size);
  }
  *clean = rest.empty();
  return records;
}

bool Authentic(const PackRecord& record, const base::HmacSha256& mac, std::string_view producer) {
  std::string expected = Tag(mac, producer, record.key, record.day, record.body);
  return expected.size() == record.tag.size() &&
         CRYPTO_memcmp(expected.data(), record.tag.data(), expected.size()) == 0;
}

// A record is stale when no build used it for more than keep_days (a stamp in the future, from
// a clock set wrong, counts as today).
bool Stale(uint32_t day, uint32_t today, const CacheOptions& options) {
  return day < today && today - day > options.keep_days;
}

// Drops the oldest of the records not marked `keep` until their bytes fit in `budget`; ties go
// by position, so the result depends on the pack alone.
void DropOldest(const std::vector<PackRecord>& records, std::vector<bool>& kept,
                const std::vector<bool>& keep, size_t budget) {
  size_t total = 0;
  std::vector<size_t> order;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!kept[i]) continue;
    total += records[i].whole.size();
    if (!keep[i]) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return records[a].day < records[b].day; });
  for (size_t i : order) {
    if (total <= budget) break;
    kept[i] = false;
    total -= records[i].whole.size();
  }
}

// A file of ours: regular, owned by this user. Anything else in the cache (a symlink, which
// O_NOFOLLOW refuses, a FIFO, another user's file) is ignored, never read or written.
bool IsOurRegularFile(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid();
}

// Opens `name` in `dir` without following a link and without blocking on a FIFO; -1 unless it
// is a regular file of ours.
int OpenOurs(int dir, std::string_view name, int flags) {
  int fd = ::openat(dir, std::string(name).c_str(), flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0 && !IsOurRegularFile(fd)) {
    ::close(fd);
    errno = EPERM;
    return -1;
  }
  return fd;
}

bool ReadWhole(int fd, size_t limit, std::string& out) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<size_t>(st.st_size) > limit) return false;
  out.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return true;
}

// Whether the pack open at `fd` (locked) is one this version appends to: its size (into *st)
// within kMaxPackBytes, its first line the magic line.
bool InThisFormat(int fd, struct stat* st) {
  char magic[kMagic.size()];
  return ::fstat(fd, st) == 0 && static_cast<size_t>(st->st_size) <= FactsCache::kMaxPackBytes &&
         ::pread(fd, magic, sizeof magic, 0) == static_cast<ssize_t>(sizeof magic) &&
         std::string_view(magic, sizeof magic) == kMagic;
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// `bytes` as the new content of `name` in `dir`: written to a fresh temporary file beside it
// and renamed over it, so a file is never truncated in place and readers see old or new. With
// `exclusive`, an existing `name` is kept (link fails) and the result says so.
bool PlaceFile(int dir, std::string_view name, std::string_view bytes, bool exclusive) {
  std::string temporary;
  int fd = -1;
  for (int attempt = 0; attempt < 8 && fd < 0; ++attempt) {
    unsigned char random[8];
    if (RAND_bytes(random, sizeof random) != 1) return false;
    temporary = "." + std::string(name) + "." +
                base::Hex(std::string_view(reinterpret_cast<char*>(random), sizeof random));
    fd = ::openat(dir, temporary.c_str(),
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
  }
  if (fd < 0) return false;
  bool written = WriteAll(fd, bytes) && ::fsync(fd) == 0;
  ::close(fd);
  bool published =
      written &&
      (exclusive ? ::linkat(dir, temporary.c_str(), dir, std::string(name).c_str(), 0)
                 : ::renameat(dir, temporary.c_str(), dir, std::string(name).c_str())) == 0;
  if (exclusive || !published) ::unlinkat(dir, temporary.c_str(), 0);
  return published;
}

// The cache directory, created 0700, opened without following a final link; -1 unless it is
// ours and nobody else can write into it (another user could otherwise plant files there).
int OpenCacheDirectory(const fs::path& dir) {
  std::error_code ec;
  if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
  ::mkdir(dir.c_str(), 0700);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st {};
  if (fd >= 0 && (::fstat(fd, &st) != 0 || st.st_uid != ::geteuid() ||
                  (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// The per-user secret that authenticates records: kKeyBytes random bytes in a 0600 file of
// ours, made on first use. Empty when there is none to be had (then nothing is read or written).
std::string LoadSecret(int dir) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = OpenOurs(dir, kKeyName, O_RDONLY);
    if (fd >= 0) {
      struct stat st {};
      std::string secret;
      bool private_file = ::fstat(fd, &st) == 0 && (st.st_mode & 077) == 0;
      bool read = private_file && ReadWhole(fd, kKeyBytes, secret);
      ::close(fd);
      return read && secret.size() == kKeyBytes ? secret : std::string();
    }
    if (errno != ENOENT) return {};
    unsigned char random[kKeyBytes];
    if (RAND_bytes(random, sizeof random) != 1) return {};
    // Exclusive: a process that raced us made the key first, and its key is read instead.
    PlaceFile(dir, kKeyName, std::string_view(reinterpret_cast<char*>(random), sizeof random),
              /*exclusive=*/true);
  }
  return {};
}

void Warn(const CacheOptions& options, const std::string& message) {
  if (options.warn) {
    options.warn(message);
  } else {
    std::cerr << "trustc: warning: " << message << "\n";
  }
}

}  // namespace

std::string CompactPack(std::string_view pack, const std::function<bool(std::string_view)>& used,
                        std::string_view fresh, std::string_view secret, std::string_view producer,
                        uint32_t today, const CacheOptions& options) {
  const base::HmacSha256 mac(secret);
  bool clean = false;
  std::vector<PackRecord> records;
  if (pack.starts_with(kMagic)) records = ScanRecords(pack.substr(kMagic.size()), &clean);
  for (const PackRecord& record : ScanRecords(fresh, &clean)) records.push_back(record);
  // Ours: a record this build used, authentic under our producer, the first of its content;
  // kept whatever its age and stamped today. Any other record stays until it is stale.
  std::vector<bool> ours(records.size()), kept(records.size());
  std::set<std::pair<std::string_view, std::string_view>> seen;  // (key, body) of ours
  for (size_t i = 0; i < records.size(); ++i) {
    const PackRecord& r = records[i];
    if (used(r.key) && Authentic(r, mac, producer)) {
      ours[i] = kept[i] = seen.emplace(r.key, r.body).second;
    } else {
      kept[i] = !Stale(r.day, today, options);
    }
  }
  DropOldest(records, kept, ours,
             std::min(options.compact_at_bytes, FactsCache::kMaxPackBytes) / 2);
  std::string out(kMagic);
  for (size_t i = 0; i < records.size(); ++i) {
    if (!kept[i]) continue;
    const PackRecord& r = records[i];
    out += ours[i] ? Record(today, Tag(mac, producer, r.key, today, r.body), r.key, r.body)
                   : std::string(r.whole);
  }
  return out;
}

FactsCache::FactsCache(fs::path dir, std::string producer, CacheOptions options)
    : dir_(std::move(dir)), producer_(std::move(producer)), options_(std::move(options)) {}

std::unique_ptr<FactsCache> FactsCache::OverPack(std::string pack, std::string secret,
                                                 std::string producer) {
  auto cache = std::make_unique<FactsCache>(fs::path(), std::move(producer));
  cache->disk_opened_ = true;  // and dir_fd_ stays -1: nothing is read or written
  cache->secret_ = std::move(secret);
  cache->mac_ = std::make_unique<base::HmacSha256>(cache->secret_);
  cache->pack_read_ = true;
  cache->IndexPack(pack);
  cache->pack_ = std::move(pack);
  return cache;
}

uint32_t FactsCache::Today() const {
  if (options_.today) return *options_.today;
  return static_cast<uint32_t>(std::time(nullptr) / 86400);
}

FactsCache::RawKey::RawKey(std::string_view raw) {
  std::memcpy(bytes.data(), raw.data(), std::min(raw.size(), bytes.size()));
}

bool FactsCache::Used(std::string_view raw_key) const {
  RawKey key(raw_key);
  return memory_.contains(key) || verdicts_.contains(key) || recalled_.contains(key);
}

FactsCache::~FactsCache() {
  Flush();
  if (pack_fd_ >= 0) ::close(pack_fd_);
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

fs::path FactsCache::DefaultDirectory() {
  if (const char* dir = std::getenv("TRUSTC_CACHE_DIR")) {
    std::string value = dir;
    return value == "off" ? fs::path() : fs::path(value);
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg) {
    return fs::path(xdg) / "trustc";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home) {
    return fs::path(home) / ".cache" / "trustc";
  }
  return {};
}

x509::LoadResult FactsCache::Load(std::string_view file_bytes,
                                  std::array<uint8_t, 32>* file_sha256) {
  ReadyToPrepare();
  return Load(file_bytes, Prepare(file_bytes), file_sha256);
}

void FactsCache::ReadyToPrepare() {
  if (!pack_read_) ReadPack();
}

FactsCache::Prepared FactsCache::Prepare(std::string_view file_bytes) const {
  Prepared prepared;
  prepared.key = base::Sha256(file_bytes);
  if (memory_.contains(RawKey(prepared.key))) return prepared;
  if (auto body = BodyOnDisk(prepared.key)) {
    if (std::optional<DecodedBody> cached = DecodeBody(body->first, prepared.key, file_bytes)) {
      if (cached->der.data() != file_bytes.data()) prepared.der = cached->der;
      prepared.facts = std::move(cached->facts);
      prepared.day = body->second;
      return prepared;
    }
  }
  x509::LoadResult result = x509::ParseCertificate(file_bytes);
  if (auto* failure = std::get_if<x509::LoadError>(&result)) {
    prepared.failure = std::move(*failure);
    return prepared;
  }
  // Kept: the facts and the DER, as a record gives them. The decoded X509 (its public key above
  // all) is most of a cold build's memory; the few certificates whose signatures are checked
  // decode again when asked, as on a warm build.
  const x509::Certificate& certificate =
      *std::get<std::shared_ptr<const x509::Certificate>>(result);
  std::vector<uint8_t> der = certificate.der();
  std::string_view der_bytes(reinterpret_cast<const char*>(der.data()), der.size());
  bool der_is_file = der_bytes == file_bytes;
  if (!der_is_file) prepared.der = der_bytes;
  prepared.new_record = EncodeBody(certificate, der_is_file);
  prepared.facts = certificate.facts();
  return prepared;
}

x509::LoadResult FactsCache::Load(std::string_view file_bytes, Prepared prepared,
                                  std::array<uint8_t, 32>* file_sha256) {
  if (file_sha256 != nullptr) {
    std::memcpy(file_sha256->data(), prepared.key.data(), file_sha256->size());
  }
  const RawKey map_key(prepared.key);
  if (auto it = memory_.find(map_key); it != memory_.end()) return it->second;
  // Prepared when it was in memory, which a cache never forgets; this only keeps Load total.
  if (!prepared.facts && !prepared.failure) prepared = Prepare(file_bytes);
  if (prepared.decoded()) {
    ++decoded_;
    if (prepared.failure) return std::move(*prepared.failure);
    Remember(prepared.key, prepared.new_record);
  } else {
    oldest_used_day_ = std::min(oldest_used_day_, prepared.day);
  }
  auto kept = Keep(prepared.der.empty() ? file_bytes : prepared.der, std::move(*prepared.facts));
  memory_[map_key] = kept;
  return kept;
}

std::shared_ptr<const x509::Certificate> FactsCache::Keep(std::string_view der,
                                                          x509::CertFacts facts) {
  if (options_.spill_der && !spill_opened_) {
    spill_opened_ = true;
    if (OpenDisk()) spill_ = DerSpill::Open(dir_fd_);
  }
  if (spill_ != nullptr) {
    if (std::optional<uint64_t> at = spill_->Append(der)) {
      return std::make_shared<const x509::Certificate>(
          spill_, *at, static_cast<uint32_t>(der.size()), std::move(facts));
    }
  }
  return std::make_shared<const x509::Certificate>(std::vector<uint8_t>(der.begin(), der.end()),
                                                   std::move(facts));
}

// Opens the directory and the secret; false (memory only) if either is not to be had.
bool FactsCache::OpenDisk() {
  if (disk_opened_) return dir_fd_ >= 0;
  disk_opened_ = true;
  if (dir_.empty()) return false;
  dir_fd_ = OpenCacheDirectory(dir_);
  if (dir_fd_ >= 0) secret_ = LoadSecret(dir_fd_);
  if (secret_.empty() && dir_fd_ >= 0) {
    ::close(dir_fd_);
    dir_fd_ = -1;
  }
  if (dir_fd_ >= 0) mac_ = std::make_unique<base::HmacSha256>(secret_);
  return dir_fd_ >= 0;
}

void FactsCache::ReadPack() {
  pack_read_ = true;
  if (!OpenDisk()) return;
  int fd = OpenOurs(dir_fd_, kPackName, O_RDONLY);
  if (fd < 0) return;
  std::string pack;
  if (!ReadWhole(fd, kMaxPackBytes, pack)) {
    ::close(fd);
    return;
  }
  IndexPack(pack);
  pack_fd_ = fd;
}

// Indexes the pack up to the first bytes that are no record (then it is damaged, or torn by a
// concurrent append: Flush looks again under the lock). Records are authenticated when looked
// up, so a build pays only for the records it uses.
void FactsCache::IndexPack(std::string_view pack) {
  pack_size_ = pack.size();
  if (!pack.starts_with(kMagic)) {
    // Another version's pack is replaced without a word; anything else is worth one.
    damaged_ = !pack.empty() && !pack.starts_with("trustc facts v");
    return;
  }
  bool clean = false;
  std::vector<PackRecord> records = ScanRecords(pack.substr(kMagic.size()), &clean);
  on_disk_.reserve(records.size());
  for (const PackRecord& record : records) {
    auto offset = static_cast<uint64_t>(record.whole.data() - pack.data()) + 4;
    on_disk_.push_back(
        {RawKey(record.key),
         IndexedRecord{offset, static_cast<uint32_t>(record.whole.size() - 4), record.day}});
  }
  std::stable_sort(on_disk_.begin(), on_disk_.end(),
                   [](const IndexEntry& a, const IndexEntry& b) { return a.key < b.key; });
  damaged_ = !clean;
}

// The bytes IndexPack found at `record`, read again; nullopt if the file no longer has them.
std::optional<std::string> FactsCache::RecordBytes(const IndexedRecord& record) const {
  if (pack_fd_ < 0) {
    if (record.offset + record.size > pack_.size()) return std::nullopt;
    return pack_.substr(record.offset, record.size);
  }
  std::string bytes(record.size, '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pread(pack_fd_, bytes.data() + done, bytes.size() - done,
                        static_cast<off_t>(record.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    done += static_cast<size_t>(n);
  }
  return bytes;
}

// The body of the first record of `key` that authenticates (another version's or a forged
// record of the same key does not), and its stamp. Const, and so safe from several threads
// (pread): Prepare calls it.
std::optional<std::pair<std::string, uint32_t>> FactsCache::BodyOnDisk(std::string_view key) const {
  IndexEntry wanted{RawKey(key), {}};
  auto [begin, end] =
      std::equal_range(on_disk_.begin(), on_disk_.end(), wanted,
                       [](const IndexEntry& a, const IndexEntry& b) { return a.key < b.key; });
  for (auto it = begin; it != end; ++it) {
    std::optional<std::string> bytes = RecordBytes(it->record);
    if (!bytes || bytes->size() < kDayBytes + kTagBytes + kKeyBytes) continue;
    std::string_view view(*bytes);
    Reader stamp(view);
    PackRecord record{static_cast<uint32_t>(stamp.Fixed(kDayBytes)),
                      view.substr(kDayBytes, kTagBytes),
                      view.substr(kDayBytes + kTagBytes, kKeyBytes),
                      view.substr(kDayBytes + kTagBytes + kKeyBytes), view};
    // Read again, so checked again: the file is the one indexed, but only the tag vouches.
    if (record.day == it->record.day && record.key == key && mac_ != nullptr &&
        Authentic(record, *mac_, producer_)) {
      return std::pair{std::string(record.body), record.day};
    }
  }
  return std::nullopt;
}

// Whether Flush should rewrite the pack rather than append to it (see the header).
bool FactsCache::WantsCompaction(size_t fresh_bytes) const {
  if (!pack_read_ || dir_.empty()) return false;
  uint32_t today = Today();
  if (damaged_ || pack_size_ + fresh_bytes > options_.compact_at_bytes) return true;
  if (oldest_used_day_ < today && today - oldest_used_day_ > options_.refresh_days) return true;
  size_t stale = 0;
  for (const auto& [key, record] : on_disk_) {
    if (Stale(record.day, today, options_) && !Used(key.view())) {
      stale += 4 + record.size;  // the length field, then the record as indexed
    }
  }
  return stale > 0 && 2 * stale >= pack_size_;
}

// Rewrites the pack, under the exclusive lock held on `fd`, from what it holds now (other
// processes may have appended since it was read) and `fresh`.
void FactsCache::Compact(int fd, std::string_view fresh) {
  std::string current;
  if (!ReadWhole(fd, kMaxPackBytes, current)) current.clear();
  bool clean = false;
  if (current.starts_with(kMagic))
    ScanRecords(std::string_view(current).substr(kMagic.size()), &clean);
  if (!clean && !current.starts_with("trustc facts v")) {
    Warn(options_, "the certificate-facts cache " + (dir_ / kPackName).string() +
                       " is damaged; it is rebuilt from the records that are still whole");
  } else if (!clean && current.starts_with(kMagic)) {
    Warn(options_, "the certificate-facts cache " + (dir_ / kPackName).string() +
                       " ends in a damaged record; it is rebuilt without it");
  }
  std::string compacted = CompactPack(
      current, [this](std::string_view key) { return Used(key); }, fresh, secret_, producer_,
      Today(), options_);
  PlaceFile(dir_fd_, kPackName, compacted, false);
}

// The record is made now, ready to write: holding the facts and the finished records side by
// side until Flush would double what this process writes.
void FactsCache::Remember(std::string_view key, std::string_view body) {
  if (dir_.empty() || !OpenDisk()) return;
  uint32_t today = Today();
  std::string tag = mac_ != nullptr ? Tag(*mac_, producer_, key, today, body) : "";
  if (tag.size() != kTagBytes) return;  // else the layout breaks
  if (pending_.empty()) pending_ = kMagic;
  pending_ += Record(today, tag, key, body);
  ++pending_records_;
  if (pending_.size() >= options_.append_at_bytes) AppendEarly();
}

// Appends the records made so far, where that is a plain append to a pack of ours in this
// format with room for them, or makes the first pack (exclusively, as Flush does). Anything
// else (a damaged, foreign or full pack: to be replaced or compacted) waits for Flush, which
// decides that with every record of the build known.
void FactsCache::AppendEarly() {
  if (damaged_ || !OpenDisk()) return;
  std::string_view records = std::string_view(pending_).substr(kMagic.size());
  bool attempted = false;
  int fd = OpenOurs(dir_fd_, kPackName, O_RDWR | O_APPEND);
  if (fd < 0) {
    attempted = errno == ENOENT;
    if (attempted) PlaceFile(dir_fd_, kPackName, pending_, /*exclusive=*/true);
  } else {
    struct stat st {};
    if (::flock(fd, LOCK_EX) == 0 && InThisFormat(fd, &st) &&
        static_cast<size_t>(st.st_size) + records.size() <= options_.compact_at_bytes) {
      attempted = true;
      WriteAll(fd, records);
    }
    ::close(fd);  // releases the lock
  }
  // Best effort, like Flush: records that could not be written only cost a decode next time.
  if (attempted) {
    std::string().swap(pending_);
    pending_records_ = 0;
  }
}

bool FactsCache::IsSignedBy(const x509::Certificate& certificate, const x509::Certificate& issuer) {
  std::string key =
      base::Sha256("signed-by:" + certificate.facts().sha256 + ":" + issuer.facts().sha256);
  const RawKey map_key(key);
  if (auto it = verdicts_.find(map_key); it != verdicts_.end()) return it->second;
  if (!pack_read_) ReadPack();
  auto record = BodyOnDisk(key);
  const std::string* body = record ? &record->first : nullptr;
  if (body != nullptr && body->size() == 2 && (*body)[0] == kVerdict &&
      ((*body)[1] == '0' || (*body)[1] == '1')) {
    oldest_used_day_ = std::min(oldest_used_day_, record->second);
    return verdicts_[map_key] = (*body)[1] == '1';
  }
  bool signed_by = certificate.IsSignedBy(issuer);
  verdicts_[map_key] = signed_by;
  Remember(key, std::string{kVerdict, signed_by ? '1' : '0'});
  return signed_by;
}

std::optional<std::string> FactsCache::Recall(std::string_view key) {
  if (key.size() != kKeyBytes) return std::nullopt;
  if (!pack_read_) ReadPack();
  auto record = BodyOnDisk(key);
  if (!record) return std::nullopt;
  recalled_.insert(RawKey(key));
  oldest_used_day_ = std::min(oldest_used_day_, record->second);
  return std::move(record->first);
}

void FactsCache::Store(std::string_view key, std::string_view body) {
  if (key.size() != kKeyBytes || body.size() > kMaxBodyBytes) return;
  recalled_.insert(RawKey(key));
  Remember(key, body);
}

void FactsCache::Flush() {
  bool compact = WantsCompaction(pending_records_ * kRecordHeader);
  if ((pending_records_ == 0 && !compact) || !OpenDisk()) return;
  if (pending_.empty()) pending_ = kMagic;
  // pending_ is a whole pack (the magic line, then the records); appending takes the records.
  std::string_view records = std::string_view(pending_).substr(kMagic.size());
  int fd = OpenOurs(dir_fd_, kPackName, O_RDWR | O_APPEND);
  if (fd < 0) {
    // None yet, or one that is not ours (a link, a FIFO, another user's file): a missing
    // pack is made; anything else is left exactly as it is.
    if (errno == ENOENT && !records.empty()) PlaceFile(dir_fd_, kPackName, pending_, true);
  } else {
    if (::flock(fd, LOCK_EX) == 0) {
      struct stat st {};
      bool start_over = !InThisFormat(fd, &st);
      // Our own file in an old or foreign format, or too large to read, is replaced whole, a
      // full or stale one compacted (never truncated in place: a reader may hold it);
      // otherwise the records are appended.
      if (start_over && !compact) {
        PlaceFile(dir_fd_, kPackName, pending_, false);
      } else if (start_over || compact ||
                 static_cast<size_t>(st.st_size) + records.size() > options_.compact_at_bytes) {
        Compact(fd, records);
      } else {
        WriteAll(fd, records);
      }
    }
    ::close(fd);  // releases the lock
  }
  std::string().swap(pending_);
  pending_records_ = 0;
}

}  // namespace trust::facts
