// PEM bundles: concatenated CERTIFICATE blocks, each one we write preceded by "# alias: NAME".
// The file is kept as a list of pieces so that every byte we do not own (comments, blank
// lines, other PEM blocks, CRLF line ends) comes out exactly as it came in.
#include <openssl/bio.h>
#include <openssl/pem.h>

#include <memory>
#include <optional>

#include "runtime/keystore/internal.h"

namespace trust::keystore {
namespace {

constexpr std::string_view kAliasPrefix = "# alias:";
constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";

struct Piece {
  std::string text;  // exact bytes, including the alias line of a certificate piece
  bool is_cert = false;
  EntryInfo info;  // certificate pieces only; alias = sha256 when there is no alias line
  bool has_alias_line = false;
};

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  return s;
}

bool IsBlank(std::string_view line) { return TrimRight(TrimLeft(line)).empty(); }

std::optional<std::string> AliasOf(std::string_view line) {
  std::string_view text = TrimRight(line);
  if (!text.starts_with(kAliasPrefix)) {
    return std::nullopt;
  }
  return std::string(TrimLeft(text.substr(kAliasPrefix.size())));
}

// Control characters other than white space mean this is not a text file: a PEM reader that
// ignored them would "manage" a binary file by appending to it.
bool LooksLikeText(std::string_view bytes, std::string* error) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v') || c == 0x7f) {
      *error = "not a pem bundle: binary data at byte " + std::to_string(i);
      return false;
    }
  }
  return true;
}

std::string CertToPem(const x509::Certificate& cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), cert.x509()) != 1) {
    return {};
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

class PemParser {
 public:
  explicit PemParser(std::string_view bytes) : bytes_(bytes) {}

  std::optional<std::vector<Piece>> Parse(std::string* error) {
    while (pos_ < bytes_.size()) {
      size_t line_start = pos_;
      std::string_view line = NextLine();
      if (TrimRight(line) == kBegin) {
        if (!TakeCertificate(line_start, error)) {
          return std::nullopt;
        }
      } else if (AliasOf(line)) {
        alias_line_ = line_start;
      } else if (!IsBlank(line)) {
        alias_line_.reset();
      }
    }
    FlushText(bytes_.size());
    return std::move(pieces_);
  }

 private:
  std::string_view NextLine() {
    size_t end = bytes_.find('\n', pos_);
    end = end == std::string_view::npos ? bytes_.size() : end + 1;
    std::string_view line = bytes_.substr(pos_, end - pos_);
    pos_ = end;
    return line;
  }

  void FlushText(size_t end) {
    if (end > text_start_) {
      Piece text;
      text.text = std::string(bytes_.substr(text_start_, end - text_start_));
      pieces_.push_back(std::move(text));
    }
    text_start_ = end;
  }

  bool TakeCertificate(size_t begin_line, std::string* error) {
    size_t piece_start = alias_line_.value_or(begin_line);
    std::optional<std::string> alias;
    if (alias_line_) {
      std::string_view rest = bytes_.substr(*alias_line_);
      alias = AliasOf(rest.substr(0, rest.find('\n')));
    }
    alias_line_.reset();
    while (pos_ < bytes_.size() && TrimRight(NextLine()) != kEnd) {
    }
    if (TrimRight(bytes_.substr(begin_line, pos_ - begin_line)).ends_with(kEnd) == false) {
      *error =
          "not a pem bundle: unterminated certificate block at byte " + std::to_string(begin_line);
      return false;
    }
    if (++count_ > kMaxKeystoreEntries) {
      *error = "pem bundle has more than " + std::to_string(kMaxKeystoreEntries) + " entries";
      return false;
    }
    FlushText(piece_start);
    Piece piece;
    piece.text = std::string(bytes_.substr(piece_start, pos_ - piece_start));
    piece.is_cert = true;
    piece.has_alias_line = alias.has_value() && !alias->empty();
    if (!Describe(bytes_.substr(begin_line, pos_ - begin_line), alias, &piece, error)) {
      return false;
    }
    pieces_.push_back(std::move(piece));
    text_start_ = pos_;
    return true;
  }

  static bool Describe(std::string_view block, const std::optional<std::string>& alias,
                       Piece* piece, std::string* error) {
    x509::LoadResult result = x509::ParseCertificate(block);
    if (const auto* failure = std::get_if<x509::LoadError>(&result)) {
      *error = "certificate block " + (alias ? "`" + *alias + "` " : std::string()) +
               "is unreadable: " + failure->message;
      return false;
    }
    const auto& cert = std::get<std::shared_ptr<const x509::Certificate>>(result);
    piece->info.kind = EntryKind::kTrustedCert;
    piece->info.sha256 = cert->facts().sha256;
    piece->info.subject = cert->facts().subject;
    piece->info.not_after = x509::FormatUtc(cert->facts().not_after);
    piece->info.alias = piece->has_alias_line ? *alias : cert->facts().sha256;
    return true;
  }

  std::string_view bytes_;
  size_t pos_ = 0;
  size_t text_start_ = 0;
  size_t count_ = 0;
  std::optional<size_t> alias_line_;  // start of the last "# alias:" line, blanks since
  std::vector<Piece> pieces_;
};

class PemBundle : public Keystore {
 public:
  explicit PemBundle(std::vector<Piece> pieces) : pieces_(std::move(pieces)) {}

  StoreFormat format() const override { return StoreFormat::kPem; }
  bool CaseInsensitiveAliases() const override { return false; }

  std::vector<EntryInfo> List() const override {
    std::vector<EntryInfo> out;
    for (const Piece& piece : pieces_) {
      if (piece.is_cert) {
        out.push_back(piece.info);
      }
    }
    return out;
  }

  bool AddTrusted(std::string_view alias, const x509::Certificate& cert,
                  std::string* error) override {
    if (!CheckNewAlias(alias, error)) {
      return false;
    }
    if (Find(alias) != nullptr) {
      *error = "alias `" + std::string(alias) + "` already exists";
      return false;
    }
    if (!pieces_.empty() && !pieces_.back().text.ends_with('\n')) {
      pieces_.back().text.push_back('\n');
    }
    Piece piece;
    if (!MakePiece(alias, cert, &piece, error)) {
      return false;
    }
    pieces_.push_back(std::move(piece));
    return true;
  }

  bool ReplaceTrusted(std::string_view alias, const x509::Certificate& cert,
                      std::string* error) override {
    Piece* piece = Find(alias);
    if (piece == nullptr) {
      *error = "alias `" + std::string(alias) + "` does not exist";
      return false;
    }
    if (!MakePiece(alias, cert, piece, error)) {
      return false;
    }
    // Further blocks under the same alias go: the alias now means the new certificate only.
    std::erase_if(
        pieces_, [&](const Piece& p) { return &p != piece && p.is_cert && p.info.alias == alias; });
    return true;
  }

  bool Remove(std::string_view alias, std::string* error) override {
    size_t before = pieces_.size();
    std::erase_if(pieces_, [alias](const Piece& p) { return p.is_cert && p.info.alias == alias; });
    if (pieces_.size() == before) {
      *error = "alias `" + std::string(alias) + "` does not exist";
      return false;
    }
    return true;
  }

  std::optional<std::string> Serialize(std::string* /*error*/) const override {
    std::string out;
    for (const Piece& piece : pieces_) {
      out += piece.text;
    }
    return out;
  }

 private:
  Piece* Find(std::string_view alias) {
    for (Piece& piece : pieces_) {
      if (piece.is_cert && piece.info.alias == alias) {
        return &piece;
      }
    }
    return nullptr;
  }

  static bool MakePiece(std::string_view alias, const x509::Certificate& cert, Piece* piece,
                        std::string* error) {
    std::string block = CertToPem(cert);
    if (block.empty()) {
      *error = "cannot encode the certificate of `" + std::string(alias) + "` as pem";
      return false;
    }
    piece->text = std::string(kAliasPrefix) + " " + std::string(alias) + "\n" + block;
    piece->is_cert = true;
    piece->has_alias_line = true;
    piece->info = {std::string(alias), EntryKind::kTrustedCert, cert.facts().sha256,
                   cert.facts().subject, x509::FormatUtc(cert.facts().not_after)};
    return true;
  }

  std::vector<Piece> pieces_;
};

}  // namespace

std::unique_ptr<Keystore> OpenPemBundle(std::string_view bytes, std::string* error) {
  if (!LooksLikeText(bytes, error)) {
    return nullptr;
  }
  std::optional<std::vector<Piece>> pieces = PemParser(bytes).Parse(error);
  if (!pieces) {
    return nullptr;
  }
  return std::make_unique<PemBundle>(std::move(*pieces));
}

std::unique_ptr<Keystore> NewPemBundle() {
  return std::make_unique<PemBundle>(std::vector<Piece>{});
}

}  // namespace trust::keystore
