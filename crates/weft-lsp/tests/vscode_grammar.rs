//! The VS Code extension's TextMate grammar (`editors/vscode`), against the
//! language's own lexer and tables.
//!
//! `grammar_runs_on_every_example` writes the lexer's tokens of every
//! `examples/**/*.weft` file to a JSON file and runs the extension's Node
//! test (`editors/vscode/test/grammar.test.js`), which tokenizes the same
//! files with `vscode-textmate` and checks that keywords, durations,
//! numbers, strings, comments, annotations and calls land in the expected
//! scopes, and in declarations the scopes the parser's tree calls for
//! (keywords, names, parameters, `->`, `?`, type names). The snapshot's
//! file (`test/fixtures/snapshot.weft`) is checked that way too. It needs `npm ci` in `editors/vscode`: without `node_modules`
//! it is skipped with a message, except under `CI=true`, where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use std::collections::HashMap;

use serde_json::{json, Value};
use weft_syntax::ast::{Item, TypeExpr, TypeKind};
use weft_syntax::lexer::{lex, TokenKind, DURATION_UNITS};
use weft_syntax::{lang, LineIndex, Span};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn grammar() -> Value {
    let path = root().join("editors/vscode/syntaxes/weft.tmLanguage.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn weft_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            weft_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "weft") {
            out.push(p);
        }
    }
}

/// The UTF-16 column of byte `offset` on its line.
fn column(text: &str, lines: &LineIndex, offset: u32) -> usize {
    let start = lines.line_start(lines.line_of(offset)) as usize;
    text[start..offset as usize].encode_utf16().count()
}

/// The scopes that the tokens of declarations must have, by start offset,
/// from the parser's tree.
fn declaration_scopes(text: &str) -> HashMap<u32, &'static str> {
    fn types(t: &TypeExpr, out: &mut HashMap<u32, &'static str>) {
        match &t.kind {
            TypeKind::Name(n) if lang::is_builtin_type(n) => {
                out.insert(t.span.start, "support.type.primitive.weft");
            }
            TypeKind::Name(_) => {
                out.insert(t.span.start, "entity.name.type.weft");
            }
            TypeKind::List(inner) => types(inner, out),
            TypeKind::Object(o) => o.fields.iter().for_each(|f| types(&f.ty, out)),
            TypeKind::Union(members) => members.iter().for_each(|m| types(m, out)),
            TypeKind::Literal(_) | TypeKind::Error => {}
        }
    }
    let parse = weft_syntax::parse(text);
    let mut out = HashMap::new();
    let mut spans: Vec<Span> = Vec::new();
    for item in &parse.module.items {
        match item {
            // The grammar does not know machines yet: nothing to compare.
            Item::Flow(_) | Item::Machine(_) | Item::Trigger(_) => continue,
            Item::Activity(a) => {
                out.insert(a.span.start, "storage.type.activity.weft");
                out.insert(a.name.span.start, "entity.name.function.activity.weft");
                for p in &a.params {
                    out.insert(p.name.span.start, "variable.parameter.weft");
                    types(&p.ty, &mut out);
                }
                if let Some(r) = &a.result {
                    types(r, &mut out);
                }
            }
            Item::Type(t) => {
                out.insert(t.span.start, "storage.type.type.weft");
                out.insert(t.name.span.start, "entity.name.type.weft");
                types(&t.ty, &mut out);
            }
        }
        spans.push(item.span());
    }
    // `->` and `?` appear only in declarations; not in their annotations.
    for t in lex(text).tokens {
        let in_declaration = spans
            .iter()
            .any(|s| s.start <= t.span.start && t.span.end <= s.end);
        let scope = match t.kind {
            TokenKind::Arrow => "keyword.operator.arrow.weft",
            TokenKind::Question => "keyword.operator.optional.weft",
            _ => continue,
        };
        if in_declaration {
            out.insert(t.span.start, scope);
        }
    }
    out
}

/// The lexer's view of every example (tokens and comments, by line and
/// UTF-16 column, as JavaScript counts), and the built-ins' names.
fn expectations() -> Value {
    let mut paths = Vec::new();
    weft_files(&root().join("examples"), &mut paths);
    paths.push(root().join("editors/vscode/test/fixtures/snapshot.weft"));
    let files: Vec<Value> = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let lines = LineIndex::new(&text);
            let lexed = lex(&text);
            let declared = declaration_scopes(&text);
            let tokens: Vec<Value> = lexed
                .tokens
                .iter()
                .filter(|t| !matches!(t.kind, TokenKind::Newline | TokenKind::Eof))
                .filter(|t| lines.line_of(t.span.start) == lines.line_of(t.span.end))
                .map(|t| {
                    json!({
                        "kind": format!("{:?}", t.kind),
                        "line": lines.line_of(t.span.start),
                        "start": column(&text, &lines, t.span.start),
                        "end": column(&text, &lines, t.span.end),
                        "text": &text[t.span.start as usize..t.span.end as usize],
                        "expect": declared.get(&t.span.start),
                    })
                })
                .collect();
            // Comments, one piece per line.
            let mut comments = Vec::new();
            for c in &lexed.comments {
                let (first, last) = (lines.line_of(c.span.start), lines.line_of(c.span.end));
                for line in first..=last {
                    let start = c.span.start.max(lines.line_start(line));
                    let line_end =
                        lines.line_start(line) as usize + lines.line_text(&text, line).len();
                    let end = c.span.end.min(line_end as u32);
                    if end > start {
                        comments.push(json!({
                            "line": line,
                            "start": column(&text, &lines, start),
                            "end": column(&text, &lines, end),
                        }));
                    }
                }
            }
            let name = p.strip_prefix(root()).unwrap_or(p).display().to_string();
            json!({"name": name, "text": text, "tokens": tokens, "comments": comments})
        })
        .collect();
    let builtins: Vec<&str> = lang::BUILTINS.iter().map(|b| b.name).collect();
    json!({"builtins": builtins, "files": files})
}

#[test]
fn grammar_runs_on_every_example() {
    let ext = root().join("editors/vscode");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if !ext.join("node_modules/vscode-textmate").is_dir() {
        assert!(
            !ci,
            "editors/vscode/node_modules is missing: run `npm ci` in editors/vscode"
        );
        eprintln!("skipped: run `npm ci` in editors/vscode to test the TextMate grammar");
        return;
    }
    let path =
        std::env::temp_dir().join(format!("weft-grammar-expect-{}.json", std::process::id()));
    std::fs::write(&path, expectations().to_string()).unwrap();
    let out = Command::new("node")
        .args(["--test", "test/grammar.test.js"])
        .current_dir(&ext)
        .env("WEFT_GRAMMAR_EXPECT", &path)
        .env_remove("UPDATE_EXPECT")
        .output();
    let _ = std::fs::remove_file(&path);
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            assert!(!ci, "cannot run node: {e}");
            eprintln!("skipped: cannot run node ({e})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the grammar test failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The example test ran rather than skipped.
    assert!(stdout.contains("# skipped 0"), "{stdout}");
}

/// The words of a pattern's alternation: `\b(?:a|b)\b` → `[a, b]`.
fn alternatives(pattern: &str) -> Vec<String> {
    let inner = pattern
        .split_once('(')
        .map(|(_, rest)| rest)
        .and_then(|rest| rest.split_once(')'))
        .map(|(inner, _)| inner.trim_start_matches("?:"))
        .unwrap_or("");
    inner.split('|').map(str::to_string).collect()
}

#[test]
fn grammar_knows_every_builtin_keyword_type_and_unit() {
    let g = grammar();
    let repo = &g["repository"];
    let mut builtins = alternatives(repo["builtin-call"]["match"].as_str().unwrap());
    builtins.sort();
    let mut expected: Vec<String> = lang::BUILTINS.iter().map(|b| b.name.to_string()).collect();
    expected.sort();
    assert_eq!(builtins, expected);

    let mut keywords: Vec<String> = repo["keywords"]["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| alternatives(p["match"].as_str().unwrap()))
        .collect();
    keywords.sort();
    let mut expected: Vec<String> = lang::KEYWORDS.iter().map(|k| k.to_string()).collect();
    expected.sort();
    assert_eq!(keywords, expected);

    let mut types = alternatives(repo["builtin-types"]["match"].as_str().unwrap());
    types.sort();
    let mut expected: Vec<String> = lang::TYPES.iter().map(|(t, _)| t.to_string()).collect();
    expected.sort();
    assert_eq!(types, expected);

    let mut declarations: Vec<String> = ["activity-declaration", "type-declaration"]
        .iter()
        .flat_map(|rule| alternatives(repo[rule]["begin"].as_str().unwrap()))
        .collect();
    declarations.sort();
    let mut expected: Vec<String> = lang::DECLARATION_KEYWORDS
        .iter()
        .map(|k| k.to_string())
        .collect();
    expected.sort();
    assert_eq!(declarations, expected);

    let duration = repo["numbers"]["patterns"][0]["match"].as_str().unwrap();
    let units = duration
        .rsplit_once("(?:")
        .unwrap()
        .1
        .split_once(')')
        .unwrap()
        .0;
    let mut units: Vec<&str> = units.split('|').collect();
    units.sort();
    let mut expected: Vec<&str> = DURATION_UNITS.iter().map(|(u, _)| *u).collect();
    expected.sort();
    assert_eq!(units, expected);
}
