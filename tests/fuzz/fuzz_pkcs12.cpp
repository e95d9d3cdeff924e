// libFuzzer target: see fuzz_entry.h.
#include <sanitizer/lsan_interface.h>

#include "tests/fuzz/fuzz_entry.h"

// LeakSanitizer comes with AddressSanitizer; a build without sanitizers (FUZZ_SANITIZE=0
// scripts/fuzz.sh) has no leak checking to pause.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TRUST_LEAK_CHECKING 1
#endif
#endif

// The PKCS#12 reader loads OpenSSL's legacy provider once per process and keeps it: load it
// here, outside leak checking, so that LeakSanitizer does not report it at exit.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
#ifdef TRUST_LEAK_CHECKING
  __lsan_disable();
#endif
  const uint8_t byte = 0x30;
  trust::fuzz::FuzzPkcs12(&byte, 1);
#ifdef TRUST_LEAK_CHECKING
  __lsan_enable();
#endif
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  trust::fuzz::FuzzPkcs12(data, size);
  return 0;
}
