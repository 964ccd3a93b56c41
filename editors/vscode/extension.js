// The Weft extension: the language (highlighting, brackets, comments) is
// declared in package.json; this file starts `weft lsp` for everything else.
'use strict';

const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** The `weft` binary from the settings. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('weft').get('server.path') || 'weft';
  const folders = vscode.workspace.workspaceFolders;
  // A bare name is looked up on PATH; a relative path with a folder part is
  // taken from the first workspace folder.
  if (!path.isAbsolute(configured) && configured.includes('/') && folders && folders.length > 0) {
    return path.join(folders[0].uri.fsPath, configured);
  }
  return configured;
}

async function start() {
  const command = serverCommand();
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'weft' },
      { scheme: 'untitled', language: 'weft' },
    ],
    outputChannelName: 'Weft',
  };
  client = new LanguageClient('weft', 'Weft', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    vscode.window.showErrorMessage(
      `Weft: could not start \`${command} lsp\` (${err && err.message ? err.message : err}). ` +
        'Install weft, or set "weft.server.path" to the weft binary.'
    );
  }
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('weft.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('weft.server.path')) {
        await stop();
        await start();
      }
    })
  );
  return start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
