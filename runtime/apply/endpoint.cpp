#include "runtime/apply/endpoint.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "runtime/pem/certificate.h"

namespace trust::apply {
namespace {

using Clock = std::chrono::steady_clock;

struct SslCtxDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
};

struct Socket {
  int fd = -1;
  ~Socket() {
    if (fd >= 0) {
      close(fd);
    }
  }
};

int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

bool WaitFor(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  int n = 0;
  do {
    n = poll(&p, 1, MillisLeft(deadline));
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

// Non-blocking connect bounded by the deadline, over every address the name resolves to.
// (Name resolution itself uses the system resolver's own timeouts.)
bool Connect(const std::string& host, const std::string& port, Clock::time_point deadline,
             Socket* sock, std::string* error) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &list); rc != 0) {
    *error = "cannot resolve " + host + ": " + gai_strerror(rc);
    return false;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(list, freeaddrinfo);
  *error = "cannot connect to " + host + ":" + port;
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    Socket s{socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
    if (s.fd < 0) {
      continue;
    }
    int rc = connect(s.fd, ai->ai_addr, ai->ai_addrlen);
    int so_error = 0;
    socklen_t len = sizeof(so_error);
    if (rc != 0 &&
        (errno != EINPROGRESS || !WaitFor(s.fd, POLLOUT, deadline) ||
         getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0)) {
      *error += MillisLeft(deadline) == 0
                    ? ": timed out"
                    : std::string(": ") + std::strerror(so_error ? so_error : errno);
      continue;
    }
    std::swap(sock->fd, s.fd);
    return true;
  }
  return false;
}

bool IsIpLiteral(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

bool Handshake(SSL* ssl, Clock::time_point deadline, std::string* error) {
  while (true) {
    int rc = SSL_do_handshake(ssl);
    if (rc == 1) {
      return true;
    }
    int why = SSL_get_error(ssl, rc);
    short events = why == SSL_ERROR_WANT_READ ? POLLIN : why == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (events == 0) {
      unsigned long code = ERR_get_error();
      char text[256] = "connection closed";
      if (code != 0) {
        ERR_error_string_n(code, text, sizeof(text));
      }
      ERR_clear_error();
      *error = std::string("TLS handshake failed: ") + text;
      return false;
    }
    if (!WaitFor(SSL_get_fd(ssl), events, deadline)) {
      *error = "TLS handshake timed out";
      return false;
    }
  }
}

std::vector<PresentedCert> PresentedChain(SSL* ssl) {
  std::vector<PresentedCert> out;
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);  // client side: leaf included
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    unsigned char* der = nullptr;
    int length = i2d_X509(sk_X509_value(chain, i), &der);
    if (length <= 0) {
      continue;
    }
    std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(length));
    OPENSSL_free(der);
    PresentedCert cert{"", pem::Sha256Hex(bytes)};
    pem::LoadResult parsed = pem::ParseCertificate(bytes);
    if (const auto* ok = std::get_if<std::shared_ptr<const pem::Certificate>>(&parsed)) {
      cert.subject = (*ok)->facts().subject;
    }
    out.push_back(std::move(cert));
  }
  return out;
}

}  // namespace

bool SplitEndpoint(const std::string& endpoint, std::string* host, std::string* port,
                   std::string* error) {
  size_t colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size()) {
    *error = "endpoint `" + endpoint + "`: expected host:port";
    return false;
  }
  *host = endpoint.substr(0, colon);
  *port = endpoint.substr(colon + 1);
  if (host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  for (char c : *port) {
    if (c < '0' || c > '9') {
      *error = "endpoint `" + endpoint + "`: expected a numeric port";
      return false;
    }
  }
  return true;
}

std::optional<std::vector<PresentedCert>> ProbeEndpoint(const std::string& endpoint,
                                                        int timeout_seconds, std::string* error) {
  std::string host;
  std::string port;
  if (!SplitEndpoint(endpoint, &host, &port, error)) {
    return std::nullopt;
  }
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  Socket sock;
  if (!Connect(host, port, deadline, &sock, error)) {
    return std::nullopt;
  }
  std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  std::unique_ptr<SSL, SslDeleter> ssl(ctx ? SSL_new(ctx.get()) : nullptr);
  if (!ssl || SSL_set_fd(ssl.get(), sock.fd) != 1) {
    *error = "cannot set up TLS";
    return std::nullopt;
  }
  SSL_set_verify(ssl.get(), SSL_VERIFY_NONE, nullptr);  // we compare, we do not trust
  if (!IsIpLiteral(host)) {
    SSL_set_tlsext_host_name(ssl.get(), host.c_str());
  }
  SSL_set_connect_state(ssl.get());
  if (!Handshake(ssl.get(), deadline, error)) {
    return std::nullopt;
  }
  std::vector<PresentedCert> chain = PresentedChain(ssl.get());
  SSL_shutdown(ssl.get());
  return chain;
}

}  // namespace trust::apply
