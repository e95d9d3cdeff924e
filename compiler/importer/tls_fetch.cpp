#include "compiler/importer/tls_fetch.h"

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

namespace trust::importer {
namespace {

using Clock = std::chrono::steady_clock;

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

bool WaitFor(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  int ready;
  do {
    ready = poll(&p, 1, RemainingMs(deadline));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

bool IsIpLiteral(const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

// A non-blocking connect to the first address that answers before the deadline.
int Connect(const Endpoint& endpoint, Clock::time_point deadline, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int status = getaddrinfo(endpoint.host.c_str(), endpoint.port.c_str(), &hints, &found);
  if (status != 0) {
    *error = "cannot resolve " + endpoint.host + ": " + gai_strerror(status);
    return -1;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
  *error = "cannot connect to " + endpoint.host + ":" + endpoint.port;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int rc = connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc < 0 && errno == EINPROGRESS) {
      if (!WaitFor(fd, POLLOUT, deadline)) {
        close(fd);
        *error += ": timed out";
        return -1;
      }
      int so_error = 0;
      socklen_t length = sizeof(so_error);
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length);
      rc = so_error == 0 ? 0 : -1;
      errno = so_error;
    }
    if (rc == 0) return fd;
    *error = "cannot connect to " + endpoint.host + ":" + endpoint.port + ": " + strerror(errno);
    close(fd);
  }
  return -1;
}

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  char buffer[256] = "no further detail";
  if (code != 0) ERR_error_string_n(code, buffer, sizeof(buffer));
  ERR_clear_error();
  return buffer;
}

bool Handshake(SSL* ssl, int fd, Clock::time_point deadline, std::string* error) {
  for (;;) {
    int rc = SSL_connect(ssl);
    if (rc == 1) return true;
    int reason = SSL_get_error(ssl, rc);
    short events = reason == SSL_ERROR_WANT_READ    ? POLLIN
                   : reason == SSL_ERROR_WANT_WRITE ? POLLOUT
                                                    : 0;
    if (events == 0) {
      *error = "TLS handshake failed: " + OpenSslError();
      return false;
    }
    if (!WaitFor(fd, events, deadline)) {
      *error = "TLS handshake timed out";
      return false;
    }
  }
}

std::string Der(X509* x509) {
  unsigned char* der = nullptr;
  int length = i2d_X509(x509, &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

}  // namespace

std::optional<Endpoint> ParseEndpoint(const std::string& text, std::string* error) {
  size_t colon = text.rfind(':');
  Endpoint endpoint;
  if (colon != std::string::npos && colon > 0) {
    endpoint.host = text.substr(0, colon);
    endpoint.port = text.substr(colon + 1);
  }
  if (endpoint.host.size() > 2 && endpoint.host.front() == '[' && endpoint.host.back() == ']') {
    endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  }
  bool digits = !endpoint.port.empty() && endpoint.port.size() <= 5 &&
                endpoint.port.find_first_not_of("0123456789") == std::string::npos;
  if (endpoint.host.empty() || !digits || std::stoi(endpoint.port) == 0 ||
      std::stoi(endpoint.port) > 65535) {
    *error = "expected HOST:PORT, got `" + text + "`";
    return std::nullopt;
  }
  return endpoint;
}

std::optional<std::vector<std::string>> FetchPresentedChain(const Endpoint& endpoint,
                                                            const std::string& sni,
                                                            int timeout_seconds,
                                                            std::string* error) {
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  Fd socket_fd{Connect(endpoint, deadline, error)};
  if (socket_fd.fd < 0) return std::nullopt;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        &SSL_CTX_free);
  // No verification on purpose: pin records what is presented; trust is decided in review.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), &SSL_free);
  std::string server_name = !sni.empty() ? sni : IsIpLiteral(endpoint.host) ? "" : endpoint.host;
  if (!server_name.empty()) SSL_set_tlsext_host_name(ssl.get(), server_name.c_str());
  SSL_set_fd(ssl.get(), socket_fd.fd);
  if (!Handshake(ssl.get(), socket_fd.fd, deadline, error)) {
    *error = endpoint.host + ":" + endpoint.port + ": " + *error;
    return std::nullopt;
  }
  std::vector<std::string> chain;
  if (X509* leaf = SSL_get0_peer_certificate(ssl.get())) chain.push_back(Der(leaf));
  // On the client side the peer chain starts with the leaf again.
  STACK_OF(X509)* presented = SSL_get_peer_cert_chain(ssl.get());
  for (int i = 0; presented != nullptr && i < sk_X509_num(presented); ++i) {
    std::string der = Der(sk_X509_value(presented, i));
    if (!der.empty() && (chain.empty() || der != chain.front())) chain.push_back(std::move(der));
  }
  SSL_shutdown(ssl.get());
  if (chain.empty()) {
    *error = endpoint.host + ":" + endpoint.port + ": the server presented no certificate";
    return std::nullopt;
  }
  return chain;
}

}  // namespace trust::importer
