// Tests of the TextMate grammar, tokenized as VS Code does (vscode-textmate
// with the Oniguruma regular expressions).
//
// - Every example under examples/ (and the snapshot's file): the tokens of
//   Weft's own lexer must land in the expected scopes (keywords, durations,
//   numbers, strings, comments, annotations, calls, and in declarations
//   what the parser says each token is). The Rust test crates/weft-lsp/tests/vscode_grammar.rs
//   writes the lexer's tokens to the file named by WEFT_GRAMMAR_EXPECT and
//   runs this file; without that variable the test is skipped.
// - A snapshot of test/fixtures/snapshot.weft, a file with every construct:
//   each token and its innermost scope, in test/fixtures/snapshot.tokens.
//   `UPDATE_EXPECT=1 npm test` rewrites it.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const grammarPath = path.join(__dirname, '..', 'syntaxes', 'weft.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.weft'
        ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  return registry.loadGrammar('source.weft');
}

const grammarLoaded = loadGrammar();

/** Each line's tokens: {start, end, text, scopes}. Columns are UTF-16 units. */
function tokenize(grammar, text) {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((raw) => {
    const line = raw.replace(/\r$/, '');
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({
      start: t.startIndex,
      end: Math.min(t.endIndex, line.length),
      text: line.slice(t.startIndex, t.endIndex),
      scopes: t.scopes,
    }));
  });
}

/** The scopes at column `col` of a tokenized line. */
function scopesAt(tokens, col) {
  const t = tokens.find((t) => t.start <= col && col < t.end);
  return t ? t.scopes : [];
}

const KEYWORD_SCOPES = {
  Flow: 'storage.type.flow.weft',
  Let: 'storage.type.weft',
  Var: 'storage.type.weft',
  Func: 'storage.type.function.weft',
  If: 'keyword.control.conditional.weft',
  Else: 'keyword.control.conditional.weft',
  While: 'keyword.control.loop.weft',
  For: 'keyword.control.loop.weft',
  In: 'keyword.control.loop.weft',
  Break: 'keyword.control.loop.weft',
  Continue: 'keyword.control.loop.weft',
  Return: 'keyword.control.flow.weft',
  Await: 'keyword.control.flow.weft',
  True: 'constant.language.boolean.weft',
  False: 'constant.language.boolean.weft',
  Null: 'constant.language.null.weft',
};

/** The scope a lexer token must have, or null when the grammar may choose. */
function expectedScope(tokens, i, builtins) {
  const t = tokens[i];
  // What the parser says of declarations: keywords, names, parameters,
  // `->`, `?`, type names (set by the Rust test).
  if (t.expect) return t.expect;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (KEYWORD_SCOPES[t.kind]) {
    // After `.` a keyword is a field; before `:` an object key.
    if ((prev && prev.kind === 'Dot') || (next && next.kind === 'Colon')) return null;
    return KEYWORD_SCOPES[t.kind];
  }
  switch (t.kind) {
    case 'Duration':
      return 'constant.numeric.duration.weft';
    case 'Number':
      return 'constant.numeric.weft';
    case 'String':
      return 'string.quoted.double.weft';
    case 'Ident':
      if (prev && prev.kind === 'At' && prev.line === t.line) return 'storage.type.annotation.weft';
      if (prev && prev.kind === 'Flow' && prev.line === t.line) return 'entity.name.function.flow.weft';
      if (next && next.kind === 'Colon' && prev && (prev.kind === 'LParen' || prev.kind === 'Comma')) {
        return null; // A named argument or an object key.
      }
      if (prev && prev.kind === 'Dot' && prev.line === t.line) {
        // `mandril.Send(`: a dotted activity name.
        if (next && next.kind === 'LParen' && next.line === t.line && next.start === t.end && /^[A-Z]/.test(t.text)) {
          return 'entity.name.function.activity.weft';
        }
        return 'variable.other.property.weft';
      }
      if (next && next.kind === 'LParen' && next.line === t.line && next.start === t.end) {
        if (builtins.includes(t.text)) return 'support.function.builtin.weft';
        if (/^[A-Z]/.test(t.text)) return 'entity.name.function';
      }
      return null;
    default:
      return null;
  }
}

test('the lexer tokens of every example land in the expected scopes', async (t) => {
  const expectPath = process.env.WEFT_GRAMMAR_EXPECT;
  if (!expectPath) {
    t.skip('WEFT_GRAMMAR_EXPECT is not set (run by crates/weft-lsp/tests/vscode_grammar.rs)');
    return;
  }
  const grammar = await grammarLoaded;
  const { builtins, files } = JSON.parse(fs.readFileSync(expectPath, 'utf8'));
  assert.ok(files.length >= 10, `only ${files.length} example files`);
  const problems = [];
  let checked = 0;
  for (const file of files) {
    const lines = tokenize(grammar, file.text);
    const where = (line, col) => `${file.name}:${line + 1}:${col + 1}`;
    for (let i = 0; i < file.tokens.length; i++) {
      const tok = file.tokens[i];
      const scopes = scopesAt(lines[tok.line], tok.start);
      if (scopes.some((s) => s.startsWith('invalid'))) {
        problems.push(`${where(tok.line, tok.start)} \`${tok.text}\`: ${scopes.join(' ')}`);
      }
      const want = expectedScope(file.tokens, i, builtins);
      if (!want) continue;
      checked++;
      // Check the first and the last character of the token.
      for (const col of [tok.start, tok.end - 1]) {
        const at = scopesAt(lines[tok.line], col);
        if (!at.some((s) => s.startsWith(want))) {
          problems.push(`${where(tok.line, col)} \`${tok.text}\` (${tok.kind}): want ${want}, got ${at.join(' ')}`);
        }
      }
    }
    for (const c of file.comments) {
      for (const col of [c.start, c.end - 1]) {
        const at = scopesAt(lines[c.line], col);
        if (!at.some((s) => s.startsWith('comment.'))) {
          problems.push(`${where(c.line, col)} comment: got ${at.join(' ')}`);
        }
      }
    }
  }
  assert.ok(checked > 500, `only ${checked} tokens checked`);
  assert.deepStrictEqual(problems, []);
});

test('snapshot of every construct', async () => {
  const grammar = await grammarLoaded;
  const source = path.join(__dirname, 'fixtures', 'snapshot.weft');
  const expected = path.join(__dirname, 'fixtures', 'snapshot.tokens');
  const lines = tokenize(grammar, fs.readFileSync(source, 'utf8'));
  let out = '';
  lines.forEach((tokens, i) => {
    for (const t of tokens) {
      if (t.text.trim() === '') continue;
      const inner = t.scopes[t.scopes.length - 1];
      out += `${String(i + 1).padStart(2)}: ${t.text.trim().padEnd(24)} ${inner}\n`;
    }
  });
  if (process.env.UPDATE_EXPECT === '1') {
    fs.writeFileSync(expected, out);
  }
  assert.strictEqual(out, fs.readFileSync(expected, 'utf8'));
});

test('block comments nest, strings keep their escapes', async () => {
  const grammar = await grammarLoaded;
  const lines = tokenize(grammar, '/* a /* b */ c */ x\n"\\n\\q" // done');
  assert.ok(scopesAt(lines[0], 15).includes('comment.block.weft'), 'after the inner */');
  assert.ok(scopesAt(lines[0], 18).includes('variable.other.readwrite.weft'));
  assert.ok(scopesAt(lines[1], 1).includes('constant.character.escape.weft'));
  assert.ok(scopesAt(lines[1], 3).includes('invalid.illegal.escape.weft'));
  assert.ok(scopesAt(lines[1], 8).includes('comment.line.double-slash.weft'));
});

test('the manifest points at files that exist', () => {
  const dir = path.join(__dirname, '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  assert.ok(fs.existsSync(path.join(dir, manifest.main)));
  for (const g of manifest.contributes.grammars) {
    assert.ok(fs.existsSync(path.join(dir, g.path)), g.path);
  }
  for (const l of manifest.contributes.languages) {
    assert.ok(fs.existsSync(path.join(dir, l.configuration)), l.configuration);
    JSON.parse(fs.readFileSync(path.join(dir, l.configuration), 'utf8'));
  }
  assert.strictEqual(manifest.contributes.configuration.properties['weft.server.path'].default, 'weft');
});
