// The test name of a keystore-format parameter ("jks", "pkcs12", ...), for the last argument of
// INSTANTIATE_TEST_SUITE_P in every suite that runs once per format.
#pragma once

#include <string>

#include "runtime/keystore/format.h"

namespace trust::test {

struct StoreFormatParamName {
  template <class ParamInfo>
  std::string operator()(const ParamInfo& param_info) const {
    return std::string(keystore::StoreFormatName(param_info.param));
  }
};

}  // namespace trust::test
