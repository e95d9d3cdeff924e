// ${env:NAME} expansion. Only this one placeholder form exists, so a '$' anywhere else (it
// happens in Windows-ish paths and passwords files) is ordinary text.
#include <cstdlib>

#include "runtime/manifest/manifest.h"
#include "runtime/manifest/validate.h"

namespace trust::manifest {

std::optional<std::string> ExpandEnv(std::string_view text, std::string* error,
                                     std::string_view password_variable) {
  static constexpr std::string_view kOpen = "${env:";
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t start = text.find(kOpen, pos);
    if (start == std::string_view::npos) {
      out.append(text.substr(pos));
      return out;
    }
    out.append(text.substr(pos, start - pos));
    size_t close = text.find('}', start + kOpen.size());
    if (close == std::string_view::npos) {
      *error = "unterminated placeholder `" + std::string(text.substr(start)) + "`";
      return std::nullopt;
    }
    std::string name(text.substr(start + kOpen.size(), close - start - kOpen.size()));
    if (!IsEnvName(name)) {
      *error = "invalid placeholder `${env:" + name + "}`: expected a variable name";
      return std::nullopt;
    }
    if (!password_variable.empty() && name == password_variable) {
      *error = "`${env:" + name + "}` is the password variable, which may not be used here";
      return std::nullopt;
    }
    const char* value = std::getenv(name.c_str());
    std::string message;
    if (value == nullptr) {
      *error = "environment variable `" + name + "` is not set";
      return std::nullopt;
    }
    if (!CheckNoControl(value, &message)) {
      *error = "environment variable `" + name + "` " + message;
      return std::nullopt;
    }
    out.append(value);
    pos = close + 1;
  }
}

}  // namespace trust::manifest
