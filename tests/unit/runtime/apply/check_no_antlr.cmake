# Fails if BINARY depends on ANTLR dynamically (ldd) or carries ANTLR or compiler symbols
# statically (nm).
execute_process(COMMAND ldd ${BINARY} OUTPUT_VARIABLE libs RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ldd ${BINARY} failed")
endif()
if(libs MATCHES "antlr")
  message(FATAL_ERROR "trust-apply links ANTLR:\n${libs}")
endif()
execute_process(COMMAND nm -C ${BINARY} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(rc EQUAL 0 AND symbols MATCHES "antlr4::|trust::parse::|trust::sema::")
  message(FATAL_ERROR "trust-apply contains compiler or ANTLR symbols")
endif()
message(STATUS "trust-apply links no ANTLR")
