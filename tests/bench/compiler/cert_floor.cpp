// The floors the compiler's build time is compared with: the least work any tool must do for
// the certificates of a generated program.
//   cert_floor hash DIR    read every DIR/certs/* file and SHA-256 it
//   cert_floor parse DIR   the same, and decode each with d2i_X509
// Prints the number of certificates and a checksum (so nothing is optimized away).
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3 || (std::strcmp(argv[1], "hash") != 0 && std::strcmp(argv[1], "parse") != 0)) {
    std::fprintf(stderr, "usage: cert_floor hash|parse DIR\n");
    return 2;
  }
  const bool parse = std::strcmp(argv[1], "parse") == 0;
  std::vector<unsigned char> buffer;
  unsigned checksum = 0;
  size_t count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(argv[2]) / "certs")) {
    int fd = open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 1;
    buffer.clear();
    unsigned char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) buffer.insert(buffer.end(), chunk, chunk + n);
    close(fd);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_length = 0;
    EVP_Digest(buffer.data(), buffer.size(), digest, &digest_length, EVP_sha256(), nullptr);
    checksum += digest[0];
    if (parse) {
      const unsigned char* p = buffer.data();
      X509* x509 = d2i_X509(nullptr, &p, static_cast<long>(buffer.size()));
      if (x509 == nullptr) {
        std::fprintf(stderr, "cert_floor: %s is not DER X.509\n", entry.path().c_str());
        return 1;
      }
      X509_free(x509);
    }
    ++count;
  }
  std::printf("%zu certificates, checksum %u\n", count, checksum);
  return 0;
}
