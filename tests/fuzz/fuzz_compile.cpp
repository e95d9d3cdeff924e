// libFuzzer target: see fuzz_entry.h.
#include "tests/fuzz/fuzz_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trust::fuzz::FuzzCompile(data, size);
  return 0;
}
