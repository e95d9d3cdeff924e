// Tokenises .trust files with the grammar, through the same engine VS Code uses
// (vscode-textmate + vscode-oniguruma), and fails on any `invalid.*` scope: every example and
// golden file is valid source, so an invalid token is a grammar bug.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function main(files) {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(
        fs.readFileSync(path.join(__dirname, '..', 'syntaxes', 'trust.tmLanguage.json'), 'utf8'),
        'trust.tmLanguage.json'),
  });
  const grammar = await registry.loadGrammar('source.trust');
  let failures = 0;
  let expected = 0;
  for (const file of files) {
    // Golden `fail_*` files are wrong on purpose; a lexical error there is highlighted as
    // invalid, which is right. They must still tokenise to the end.
    const wrong_on_purpose = path.basename(file).startsWith('fail_');
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    let state = vsctm.INITIAL;
    lines.forEach((line, index) => {
      const result = grammar.tokenizeLine(line, state);
      for (const token of result.tokens) {
        const bad = token.scopes.find((scope) => scope.startsWith('invalid'));
        if (bad && wrong_on_purpose) {
          expected++;
        } else if (bad) {
          failures++;
          console.error(`${file}:${index + 1}:${token.startIndex + 1}: ${bad}: ` +
                        JSON.stringify(line.slice(token.startIndex, token.endIndex)));
        }
      }
      state = result.ruleStack;
    });
  }
  console.log(`tokenised ${files.length} file(s), ${failures} unexpected invalid token(s), ` +
              `${expected} in fail_* files`);
  process.exit(failures === 0 ? 0 : 1);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(2);
});
