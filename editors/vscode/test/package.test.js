// Tests of the packaged extension (the .vsix that `vsce package` builds):
// it holds the grammar, the language configuration and the client, its
// manifest wires them up, and the client it ships starts `weft lsp` for
// `.weft` files. The client is run for real: the packaged extension.js is
// loaded with a stand-in for the `vscode` module (which only VS Code
// provides) and for the language client's module (which needs the real
// `vscode`), whose constructor records what it is given; the packaged
// module is checked to be the one that resolves.
//
// The package is named by WEFT_VSIX; without it the test is skipped (the
// Rust test crates/weft-lsp/tests/vscode_package.rs sets it).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const Module = require('node:module');

/** The entries of a zip file: name -> contents (a Buffer). */
function unzip(file) {
  const buf = fs.readFileSync(file);
  // The end of central directory record: its signature, searched from the end.
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    assert.strictEqual(buf.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + size);
    entries.set(name, method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const vsix = process.env.WEFT_VSIX;

test('the package holds the grammar, the language configuration and the client', { skip: !vsix }, () => {
  const files = unzip(vsix);
  const manifest = JSON.parse(files.get('extension/package.json').toString());
  const language = manifest.contributes.languages.find((l) => l.id === 'weft');
  assert.deepStrictEqual(language.extensions, ['.weft']);
  const config = path.posix.join('extension', language.configuration);
  assert.ok(files.has(config), `${config} is packaged`);
  const conf = JSON.parse(files.get(config).toString());
  assert.strictEqual(conf.comments.lineComment, '//');
  const grammar = manifest.contributes.grammars.find((g) => g.language === 'weft');
  assert.strictEqual(grammar.scopeName, 'source.weft');
  const grammarFile = path.posix.join('extension', grammar.path);
  assert.ok(files.has(grammarFile), `${grammarFile} is packaged`);
  assert.strictEqual(JSON.parse(files.get(grammarFile).toString()).scopeName, 'source.weft');
  assert.ok(manifest.activationEvents.includes('onLanguage:weft'));
  assert.ok(files.has(path.posix.join('extension', manifest.main)), 'the client is packaged');
  // Its runtime dependency is packaged; the test-only ones are not.
  assert.ok(files.has('extension/node_modules/vscode-languageclient/node.js'));
  for (const name of files.keys()) {
    assert.ok(!name.startsWith('extension/node_modules/vscode-textmate/'), name);
    assert.ok(!name.startsWith('extension/node_modules/@vscode/vsce'), name);
    assert.ok(!name.startsWith('extension/test/'), name);
  }
});

test('the packaged client starts `weft lsp` for .weft files', { skip: !vsix }, async () => {
  const files = unzip(vsix);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-vsix-'));
  for (const [name, contents] of files) {
    if (name.endsWith('/')) continue;
    const target = path.join(dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, contents);
  }
  const started = [];
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      started.push({ id, name, serverOptions, clientOptions });
    }
    start() {
      return Promise.resolve();
    }
    stop() {
      return Promise.resolve();
    }
  }
  const settings = { 'server.path': undefined };
  const vscode = {
    workspace: {
      getConfiguration: () => ({ get: (key) => settings[key] }),
      workspaceFolders: [{ uri: { fsPath: '/project' } }],
      onDidChangeConfiguration: () => ({ dispose() {} }),
    },
    commands: { registerCommand: () => ({ dispose() {} }) },
    window: { showErrorMessage: (m) => assert.fail(m) },
  };
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return vscode;
    if (request === 'vscode-languageclient/node') {
      // The packaged module resolves from the extension (it needs the real
      // `vscode` to load, so its constructor stands in for it).
      const resolved = Module._resolveFilename(request, parent, isMain);
      assert.ok(resolved.startsWith(dir), `${resolved} is the packaged one`);
      return { LanguageClient };
    }
    return load.call(this, request, parent, isMain);
  };
  try {
    const extension = require(path.join(dir, 'extension', 'extension.js'));
    const context = { subscriptions: [] };
    await extension.activate(context);
    assert.strictEqual(started.length, 1);
    const { serverOptions, clientOptions } = started[0];
    assert.deepStrictEqual(serverOptions, { command: 'weft', args: ['lsp'] });
    assert.ok(clientOptions.documentSelector.some((s) => s.language === 'weft' && s.scheme === 'file'));
    // A configured path with a folder part is taken from the workspace.
    settings['server.path'] = 'target/release/weft';
    started.length = 0;
    await extension.deactivate();
    await extension.activate({ subscriptions: [] });
    assert.deepStrictEqual(started[0].serverOptions, {
      command: path.join('/project', 'target/release/weft'),
      args: ['lsp'],
    });
  } finally {
    Module._load = load;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
