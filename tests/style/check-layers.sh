#!/usr/bin/env bash
# Fails when a directory includes a layer it must not see (the pipeline of
# compiler/driver/pipeline.h and README's layout):
#   base/ includes neither runtime/ nor compiler/;  runtime/ never includes compiler/;
#   runtime/keystore/ does not need runtime/manifest/;  only compiler/parse/ sees ANTLR;
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
forbid base 'compiler/|runtime/' 'base/ is below both the runtime and the compiler'
forbid runtime 'compiler/' 'the runtime never includes the compiler'
forbid runtime/keystore 'runtime/(manifest|apply)/' 'keystores know nothing of manifests or trust-apply'
for dir in compiler/*/; do
  [ "$dir" = compiler/parse/ ] || forbid "$dir" 'antlr4|grammar/|Trust(Lexer|Parser)' 'ANTLR stays in compiler/parse'
done
forbid compiler/sema 'compiler/(parse|driver)/' 'sema checks a loaded program: the driver loads and parses'
forbid compiler/lsp 'compiler/driver/(cli|cli_support|compile_commands|review_commands|import_commands)' \
  'the language server uses driver/pipeline.h and driver/options.h only'
[ $status -eq 0 ] && echo "layers respected"
exit $status
