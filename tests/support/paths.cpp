#include "tests/support/paths.h"

#include <string>

namespace trust::test_support {

const char* SourceDir() { return TRUST_SOURCE_DIR_PATH; }

const char* BinaryDir() { return TRUST_BINARY_DIR_PATH; }

// Where CMAKE_RUNTIME_OUTPUT_DIRECTORY puts every program.
const char* TrustcPath() {
  static const std::string path = std::string(BinaryDir()) + "/bin/trustc";
  return path.c_str();
}

}  // namespace trust::test_support
