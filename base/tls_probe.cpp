#include "base/tls_probe.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "base/digest.h"

namespace trust::base {
namespace {

using Clock = std::chrono::steady_clock;

struct Socket {
  int fd = -1;
  ~Socket() {
    if (fd >= 0) ::close(fd);
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
    n = ::poll(&p, 1, MillisLeft(deadline));
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

// Why connecting to one address failed: its errno, or a timeout.
std::string ConnectFailure(int fd, int rc, Clock::time_point deadline) {
  if (rc == 0) return "";
  if (errno != EINPROGRESS) return std::strerror(errno);
  if (!WaitFor(fd, POLLOUT, deadline)) return "timed out";
  int so_error = 0;
  socklen_t length = sizeof so_error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length) != 0) return std::strerror(errno);
  return so_error == 0 ? "" : std::strerror(so_error);
}

// A non-blocking connect, address after address, until one answers or the deadline passes.
bool Connect(const std::string& host, const std::string& port, Clock::time_point deadline,
             Socket* sock, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &list); rc != 0) {
    *error = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return false;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(list, ::freeaddrinfo);
  std::string why = "no address";
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    Socket s{
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol)};
    if (s.fd < 0) {
      why = std::strerror(errno);
      continue;
    }
    why = ConnectFailure(s.fd, ::connect(s.fd, ai->ai_addr, ai->ai_addrlen), deadline);
    if (why.empty()) {
      std::swap(sock->fd, s.fd);
      return true;
    }
  }
  *error = "cannot connect to " + host + ":" + port + ": " + why;
  return false;
}

bool Handshake(SSL* ssl, int fd, Clock::time_point deadline, std::string* error) {
  while (true) {
    int rc = SSL_do_handshake(ssl);
    if (rc == 1) return true;
    int why = SSL_get_error(ssl, rc);
    short events = why == SSL_ERROR_WANT_READ ? POLLIN : why == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (events == 0) {
      *error = "TLS handshake failed: " + OpenSslErrorText("connection closed");
      return false;
    }
    if (!WaitFor(fd, events, deadline)) {
      *error = "TLS handshake timed out";
      return false;
    }
  }
}

std::string Der(X509* certificate) {
  unsigned char* der = nullptr;
  int length = i2d_X509(certificate, &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

// On the client side the peer chain starts with the leaf.
std::vector<std::string> PresentedChain(SSL* ssl) {
  std::vector<std::string> chain;
  STACK_OF(X509)* presented = SSL_get_peer_cert_chain(ssl);
  for (int i = 0; presented != nullptr && i < sk_X509_num(presented); ++i) {
    std::string der = Der(sk_X509_value(presented, i));
    if (!der.empty()) chain.push_back(std::move(der));
  }
  return chain;
}

}  // namespace

bool IsIpLiteral(const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

std::optional<std::vector<std::string>> FetchPresentedChain(const std::string& host,
                                                            const std::string& port,
                                                            const std::string& server_name,
                                                            int timeout_seconds,
                                                            std::string* error) {
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  Socket sock;
  if (!Connect(host, port, deadline, &sock, error)) return std::nullopt;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        &SSL_CTX_free);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(ctx ? SSL_new(ctx.get()) : nullptr, &SSL_free);
  if (!ssl || SSL_set_fd(ssl.get(), sock.fd) != 1) {
    *error = "cannot set up TLS: " + OpenSslErrorText();
    return std::nullopt;
  }
  SSL_set_verify(ssl.get(), SSL_VERIFY_NONE, nullptr);  // recorded or compared, never trusted
  if (!server_name.empty()) SSL_set_tlsext_host_name(ssl.get(), server_name.c_str());
  SSL_set_connect_state(ssl.get());
  if (!Handshake(ssl.get(), sock.fd, deadline, error)) return std::nullopt;
  std::vector<std::string> chain = PresentedChain(ssl.get());
  SSL_shutdown(ssl.get());
  return chain;
}

}  // namespace trust::base
