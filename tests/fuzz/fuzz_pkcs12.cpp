// libFuzzer target: see fuzz_entry.h.
#include <sanitizer/lsan_interface.h>

#include "tests/fuzz/fuzz_entry.h"

// The PKCS#12 reader loads OpenSSL's legacy provider once per process and keeps it: load it
// here, outside leak checking, so that LeakSanitizer does not report it at exit.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  __lsan_disable();
  const uint8_t byte = 0x30;
  trust::fuzz::FuzzPkcs12(&byte, 1);
  __lsan_enable();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trust::fuzz::FuzzPkcs12(data, size);
  return 0;
}
