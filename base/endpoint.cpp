#include "base/endpoint.h"

#include <algorithm>

namespace trust::base {
namespace {

bool IsPortNumber(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  int number = std::stoi(std::string(port));
  return number >= 1 && number <= 65535;
}

}  // namespace

std::optional<Endpoint> ParseEndpoint(std::string_view text, std::string* error) {
  size_t colon = text.rfind(':');
  Endpoint endpoint;
  if (colon != std::string_view::npos) {
    endpoint.host = text.substr(0, colon);
    endpoint.port = text.substr(colon + 1);
  }
  if (endpoint.host.size() >= 2 && endpoint.host.front() == '[' && endpoint.host.back() == ']') {
    endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  }
  if (endpoint.host.empty() || !IsPortNumber(endpoint.port)) {
    *error = "expected HOST:PORT, got `" + std::string(text) + "`";
    return std::nullopt;
  }
  return endpoint;
}

}  // namespace trust::base
