// Starts `trustc lsp` for .trust files. Everything else (diagnostics, hover, definition,
// symbols, completion, formatting) comes from the server.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('trust');
  const command = config.get('trustcPath') || 'trustc';
  const args = ['lsp', ...(config.get('extraArgs') || [])];
  const serverOptions = { run: { command, args }, debug: { command, args } };
  const clientOptions = { documentSelector: [{ scheme: 'file', language: 'trust' }] };
  client = new LanguageClient('trust', 'trustc lsp', serverOptions, clientOptions);
  client.start();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('trust')) {
        vscode.window.showInformationMessage('Reload the window to restart trustc lsp.');
      }
    }));
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
