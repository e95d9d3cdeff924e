#include "runtime/pem/facts_cache.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace trust::pem {
namespace {

namespace fs = std::filesystem;

// The pack: the magic line, then records
//   u32 body length | u64 FNV-1a of the body | 32-byte key (SHA-256 of the file) | body
// all little-endian. The body is the facts (Writer below), then the DER unless the file was the
// DER itself (then the file's bytes are the DER, and the key is its SHA-256). A signature
// verdict's key is the SHA-256 of "signed-by:" + both certificates' sha256, and its body is
// kVerdict followed by '0' or '1' (a certificate's body is never that short).
constexpr std::string_view kMagic = "trustc facts v2\n";
constexpr std::string_view kPackName = "certs-v2.pack";
constexpr size_t kKeyBytes = 32;
constexpr size_t kRecordHeader = 4 + 8 + kKeyBytes;
constexpr size_t kMaxBodyBytes = size_t{4} << 20;  // a certificate file is at most 1 MiB
constexpr char kVerdict = 'V';

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string RawSha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(digest), length);
}

class Writer {
 public:
  void Fixed(uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out_ += static_cast<char>((value >> (8 * i)) & 0xFF);
  }
  void Text(std::string_view text) {
    Fixed(text.size(), 4);
    out_ += text;
  }
  void Dn(const DistinguishedName& dn) {
    Fixed(dn.rdns.size(), 4);
    for (const Rdn& rdn : dn.rdns) {
      Fixed(rdn.size(), 4);
      for (const DnAttribute& a : rdn) {
        Text(a.type);
        Text(a.value);
      }
    }
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
  std::string Text() {
    size_t size = Fixed(4);
    if (!Need(size)) return {};
    std::string text(in_.substr(0, size));
    in_.remove_prefix(size);
    return text;
  }
  DistinguishedName Dn() {
    DistinguishedName dn;
    for (uint64_t r = Fixed(4); ok_ && r > 0; --r) {
      Rdn rdn;
      for (uint64_t a = Fixed(4); ok_ && a > 0; --a) {
        std::string type = Text();
        rdn.push_back({std::move(type), Text()});
      }
      dn.rdns.push_back(std::move(rdn));
    }
    return dn;
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

std::string EncodeBody(const Certificate& certificate, bool der_is_file) {
  const CertFacts& f = certificate.facts();
  Writer w;
  w.Text(f.subject);
  w.Text(f.issuer);
  w.Dn(f.subject_dn);
  w.Dn(f.issuer_dn);
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
  if (!der_is_file) {
    const auto& der = certificate.der();
    w.Text(std::string_view(reinterpret_cast<const char*>(der.data()), der.size()));
  }
  return std::move(w.bytes());
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0xF];
  }
  return hex;
}

// `key` is the file's SHA-256 (raw).
std::shared_ptr<const Certificate> DecodeBody(std::string_view body, const std::string& key,
                                              std::string_view file_bytes) {
  Reader r(body);
  CertFacts f;
  f.subject = r.Text();
  f.issuer = r.Text();
  f.subject_dn = r.Dn();
  f.issuer_dn = r.Dn();
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
  std::string der = der_is_file ? std::string(file_bytes) : r.Text();
  if (!r.done() || key_type > static_cast<uint64_t>(KeyType::kOther) || der.empty()) {
    return nullptr;
  }
  f.key_type = static_cast<KeyType>(key_type);
  // A DER file's key is its DER's hash already; PEM's DER is checked against the recorded hash.
  if (!der_is_file && Sha256Hex(der) != f.sha256) return nullptr;
  if (der_is_file && Hex(key) != f.sha256) return nullptr;
  return std::make_shared<const Certificate>(std::vector<uint8_t>(der.begin(), der.end()),
                                             std::move(f));
}

std::string Record(const std::string& key, const std::string& body) {
  Writer w;
  w.Fixed(body.size(), 4);
  w.Fixed(Fnv1a(body), 8);
  w.bytes() += key;
  w.bytes() += body;
  return std::move(w.bytes());
}

bool ReadWhole(int fd, std::string& out) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
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

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

FactsCache::FactsCache(fs::path dir) : dir_(std::move(dir)) {}

FactsCache::~FactsCache() { Flush(); }

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

LoadResult FactsCache::Load(std::string_view file_bytes) {
  std::string key = RawSha256(file_bytes);
  if (auto it = memory_.find(key); it != memory_.end()) return it->second;
  if (!pack_read_) ReadPack();
  std::optional<std::string_view> body = BodyOnDisk(key);
  if (auto cached = body ? DecodeBody(*body, key, file_bytes) : nullptr) {
    memory_[key] = cached;
    return cached;
  }
  ++decoded_;
  LoadResult result = ParseCertificate(file_bytes);
  if (auto* certificate = std::get_if<std::shared_ptr<const Certificate>>(&result)) {
    memory_[key] = *certificate;
    const auto& der = (*certificate)->der();
    bool der_is_file =
        std::string_view(reinterpret_cast<const char*>(der.data()), der.size()) == file_bytes;
    if (!dir_.empty()) pending_ += Record(key, EncodeBody(**certificate, der_is_file));
  }
  return result;
}

// Indexes the pack; stops at the first record that does not fit (a torn tail).
void FactsCache::ReadPack() {
  pack_read_ = true;
  if (dir_.empty()) return;
  // O_NONBLOCK: a FIFO in its place must not hang the compiler (ReadWhole refuses it).
  int fd = ::open((dir_ / kPackName).c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  bool read = ReadWhole(fd, pack_);
  ::close(fd);
  if (!read || !pack_.starts_with(kMagic)) return;
  std::string_view rest = std::string_view(pack_).substr(kMagic.size());
  while (rest.size() >= kRecordHeader) {
    Reader header(rest);
    size_t size = header.Fixed(4);
    if (size > kMaxBodyBytes || rest.size() - kRecordHeader < size) break;
    std::string key(rest.substr(12, kKeyBytes));
    on_disk_.emplace(std::move(key), rest.substr(12 - 8, 8 + kKeyBytes + size));
    rest.remove_prefix(kRecordHeader + size);
  }
}

// The body of `key`'s record if its checksum holds.
std::optional<std::string_view> FactsCache::BodyOnDisk(const std::string& key) const {
  auto it = on_disk_.find(key);
  if (it == on_disk_.end()) return std::nullopt;
  Reader checksum(it->second);
  uint64_t expected = checksum.Fixed(8);
  std::string_view body = it->second.substr(8 + kKeyBytes);
  if (Fnv1a(body) != expected) return std::nullopt;
  return body;
}

bool FactsCache::IsSignedBy(const Certificate& certificate, const Certificate& issuer) {
  std::string key =
      RawSha256("signed-by:" + certificate.facts().sha256 + ":" + issuer.facts().sha256);
  if (auto it = verdicts_.find(key); it != verdicts_.end()) return it->second;
  if (!pack_read_) ReadPack();
  std::optional<std::string_view> body = BodyOnDisk(key);
  if (body && body->size() == 2 && (*body)[0] == kVerdict &&
      ((*body)[1] == '0' || (*body)[1] == '1')) {
    return verdicts_[key] = (*body)[1] == '1';
  }
  bool signed_by = certificate.IsSignedBy(issuer);
  verdicts_[key] = signed_by;
  if (!dir_.empty()) pending_ += Record(key, std::string{kVerdict, signed_by ? '1' : '0'});
  return signed_by;
}

void FactsCache::Flush() {
  if (pending_.empty() || dir_.empty()) return;
  std::string records = std::move(pending_);
  pending_.clear();
  std::error_code ec;
  fs::create_directories(dir_, ec);
  int fd = ::open((dir_ / kPackName).c_str(), O_RDWR | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC,
                  0644);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::flock(fd, LOCK_EX) == 0) {
    char magic[kMagic.size()];
    bool fresh = ::fstat(fd, &st) != 0 || static_cast<size_t>(st.st_size) < kMagic.size() ||
                 ::pread(fd, magic, sizeof magic, 0) != static_cast<ssize_t>(sizeof magic) ||
                 std::string_view(magic, sizeof magic) != kMagic ||
                 static_cast<size_t>(st.st_size) + records.size() > kMaxPackBytes;
    // A foreign, damaged-at-the-start or full pack starts over (with O_APPEND, writes go to
    // the new end).
    if (fresh && ::ftruncate(fd, 0) == 0) WriteAll(fd, kMagic);
    WriteAll(fd, records);
  }
  ::close(fd);  // releases the lock
}

}  // namespace trust::pem
