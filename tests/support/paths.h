// Where the tests find the checkout, the build tree and trustc. Defined in paths.cpp alone, the
// one test file compiled with absolute paths: every other one compiles the same wherever the
// checkout is, so a compiler cache lent to another checkout (scripts/fresh-machine.sh) serves
// it.
#pragma once

namespace trust::test_support {

const char* SourceDir();   // the checkout's root
const char* BinaryDir();   // the build tree's root
const char* TrustcPath();  // the trustc this build made

}  // namespace trust::test_support
