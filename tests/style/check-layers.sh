#!/usr/bin/env bash
# Fails when a directory includes a layer it must not see (the pipeline of
# compiler/driver/pipeline.h and README's layout):
#   runtime/ never includes compiler/;  only compiler/parse/ sees ANTLR;
#   compiler/sema/ checks a loaded program: no parser, no driver;
#   compiler/lsp/ uses the pipeline and the shared options, not trustc's command line.
set -euo pipefail
cd "$(dirname "$0")/../.."
status=0
# forbid DIR REGEX WHY: no #include line of DIR's C++ files matches REGEX.
forbid() {
  local found
  found=$(grep -rnE --include='*.cpp' --include='*.h' "^#include [<\"]($2)" "$1" || true)
  if [ -n "$found" ]; then
    printf '%s: %s\n%s\n' "$1" "$3" "$found"
    status=1
  fi
}
forbid runtime 'compiler/' 'the runtime never includes the compiler'
for dir in compiler/*/; do
  [ "$dir" = compiler/parse/ ] || forbid "$dir" 'antlr4|grammar/|Trust(Lexer|Parser)' 'ANTLR stays in compiler/parse'
done
forbid compiler/sema 'compiler/(parse|driver)/' 'sema checks a loaded program: the driver loads and parses'
forbid compiler/lsp 'compiler/driver/(cli|cli_support|compile_commands|review_commands|import_commands)' \
  'the language server uses driver/pipeline.h and driver/options.h only'
[ $status -eq 0 ] && echo "layers respected"
exit $status
