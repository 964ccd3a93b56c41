//! The house rules ARCHITECTURE.md states, checked on the source tree (as
//! rust-analyzer's `tidy.rs` does): each rule is a function over file
//! names and texts that returns what breaks it, unit-tested on small
//! strings below, and applied to the whole tree by one test.
//!
//! - only the binary prints (`println!`, `eprintln!`, `print!`, `eprint!`,
//!   `dbg!`); libraries emit `tracing` events;
//! - only `weft-lsp` knows LSP (`lsp_types`, `lsp_server`);
//! - the engine reads no clock, randomness, file, socket or environment;
//! - HTTP libraries (`axum`, `reqwest`, `hyper`, `tonic`) only in the crates that
//!   serve or call HTTP: `weft-server`, `weft-worker`, `weft-cli`, `weft-grpc`;
//! - the stores know the engine's data types (`weft_engine::state`), not
//!   its compiler or machine;
//! - no `todo!` or `unimplemented!`;
//! - every limit constant is in docs/operating.md's limits tables with its
//!   value, and every row there names a constant that exists;
//! - every HTTP error code of `weft_server::error::Code` is in
//!   docs/api-errors.md with its status and meaning, and nothing else is;
//! - no circles among the top-level modules of a crate (but those listed in
//!   [`KNOWN_MODULE_CIRCLES`], none today).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file: its path from the repository root, and its text.
struct File {
    path: String,
    text: String,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `crates/*/src` (and `Cargo.toml`s, separately).
fn sources() -> Vec<File> {
    let mut out = Vec::new();
    let crates = repo().join("crates");
    for entry in std::fs::read_dir(&crates).expect("crates/") {
        let src = entry.expect("an entry").path().join("src");
        collect(&src, &mut out);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(out.len() > 100, "only {} source files found", out.len());
    out
}

fn collect(dir: &Path, out: &mut Vec<File>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(repo())
                .expect("under the repository")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("readable");
            out.push(File { path: rel, text });
        }
    }
}

fn manifests() -> Vec<File> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo().join("crates")).expect("crates/") {
        let dir = entry.expect("an entry").path();
        let name = dir
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) {
            out.push(File {
                path: format!("crates/{name}/Cargo.toml"),
                text,
            });
        }
    }
    out
}

fn doc(name: &str) -> String {
    std::fs::read_to_string(repo().join("docs").join(name)).expect("the doc exists")
}

// ----- reading Rust source as text -----

/// The crate a path belongs to (`crates/weft-server/src/api.rs` →
/// `weft-server`).
fn crate_of(path: &str) -> &str {
    path.strip_prefix("crates/")
        .and_then(|p| p.split('/').next())
        .unwrap_or("")
}

/// The text with `#[cfg(test)]` modules (rustfmt puts a top-level
/// module's closing brace alone at the start of a line) and line comments
/// blanked out; lines keep their numbers.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines.peek().is_some_and(|next| {
                let next = next.trim_start();
                next.starts_with("mod ") || next.starts_with("pub(crate) mod ")
            })
        {
            out.push('\n');
            for inner in lines.by_ref() {
                out.push('\n');
                if inner == "}" {
                    break;
                }
            }
            continue;
        }
        if !line.trim_start().starts_with("//") {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Where `word` stands in `text` as a whole word (not inside a longer
/// identifier), as 1-based line numbers.
fn word_lines(text: &str, word: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(at) = line[from..].find(word) {
            let start = from + at;
            let end = start + word.len();
            let before = line[..start].chars().next_back();
            let after = line[end..].chars().next();
            let first_is_ident = word.starts_with(is_ident_char);
            let last_is_ident = word.ends_with(is_ident_char);
            let joined_before = first_is_ident && before.is_some_and(is_ident_char);
            let joined_after = last_is_ident && after.is_some_and(is_ident_char);
            if !joined_before && !joined_after {
                out.push(n + 1);
                break;
            }
            from = end;
        }
    }
    out
}

/// Files (as given) that use any of `words`; each violation names the file,
/// the line and the word.
fn uses(files: &[File], words: &[&str], why: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        let code = code_of(&f.text);
        for w in words {
            for line in word_lines(&code, w) {
                out.push(format!("{}: line {line}: `{w}` ({why})", f.path));
            }
        }
    }
    out
}

// ----- the rules -----

/// Files allowed to print, with why.
const PRINT_ALLOWED: &[(&str, &str)] = &[(
    "crates/weft-worker/src/lib.rs",
    "the SDK's default logger, which programs replace with Worker::logger",
)];

/// No print macros outside the binary crate (tests and examples are not
/// under `src`, and test modules are skipped).
fn print_macros(files: &[File]) -> Vec<String> {
    let libraries: Vec<&File> = files
        .iter()
        .filter(|f| crate_of(&f.path) != "weft-cli")
        .filter(|f| !PRINT_ALLOWED.iter().any(|(p, _)| *p == f.path))
        .collect();
    let owned: Vec<File> = libraries
        .into_iter()
        .map(|f| File {
            path: f.path.clone(),
            text: f.text.clone(),
        })
        .collect();
    uses(
        &owned,
        &["println!", "eprintln!", "print!", "eprint!", "dbg!"],
        "only the binary prints: emit a tracing event or return an error",
    )
}

/// LSP types only in `weft-lsp` (its source and its manifest).
fn lsp_types(files: &[File], manifests: &[File]) -> Vec<String> {
    let others: Vec<File> = files
        .iter()
        .chain(manifests)
        .filter(|f| crate_of(&f.path) != "weft-lsp")
        .map(|f| File {
            path: f.path.clone(),
            text: f.text.clone(),
        })
        .collect();
    let mut out = uses(
        &others,
        &["lsp_types", "lsp_server"],
        "only weft-lsp knows LSP",
    );
    out.extend(uses(
        &others,
        &["lsp-types", "lsp-server"],
        "only weft-lsp knows LSP",
    ));
    out
}

/// The engine is sans-IO: no clock, randomness, file, socket, process,
/// environment or async runtime.
fn engine_io(files: &[File], manifests: &[File]) -> Vec<String> {
    let engine: Vec<File> = files
        .iter()
        .chain(manifests.iter())
        .filter(|f| crate_of(&f.path) == "weft-engine")
        .map(|f| File {
            path: f.path.clone(),
            text: dependencies_only(&f.path, &f.text),
        })
        .collect();
    uses(
        &engine,
        &[
            "SystemTime",
            "Instant",
            "std::time",
            "rand",
            "getrandom",
            "std::fs",
            "std::net",
            "std::env",
            "std::process",
            "std::thread",
            "std::io",
            "File",
            "tokio",
        ],
        "the engine is sans-IO: time, randomness and ids come in through Env",
    )
}

/// A manifest's `[dependencies]` section (dev-dependencies may do I/O:
/// they are for tests); any other file as it is.
fn dependencies_only(path: &str, text: &str) -> String {
    if !path.ends_with("Cargo.toml") {
        return text.to_string();
    }
    let mut out = String::new();
    let mut inside = false;
    // Other lines are blanked out, so that lines keep their numbers.
    for line in text.lines() {
        if line.starts_with('[') {
            inside = line.trim() == "[dependencies]";
        } else if inside {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The crates that serve or make HTTP requests (`weft-grpc` makes gRPC
/// calls, over HTTP/2; `weft-sources` polls HTTP endpoints).
const HTTP_CRATES: &[&str] = &[
    "weft-server",
    "weft-worker",
    "weft-cli",
    "weft-grpc",
    "weft-sources",
];

/// HTTP libraries only in the crates that serve or call HTTP (in their
/// code and their `[dependencies]`).
fn http_libraries(files: &[File], manifests: &[File]) -> Vec<String> {
    let others: Vec<File> = files
        .iter()
        .chain(manifests)
        .filter(|f| !HTTP_CRATES.contains(&crate_of(&f.path)))
        .map(|f| File {
            path: f.path.clone(),
            text: dependencies_only(&f.path, &f.text),
        })
        .collect();
    uses(
        &others,
        &["axum", "reqwest", "hyper", "tonic"],
        "only weft-server, weft-worker, weft-cli, weft-grpc and weft-sources speak HTTP",
    )
}

/// The stores use the engine's data types (`weft_engine::state`) only.
fn stores_know_only_engine_data(files: &[File]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files
        .iter()
        .filter(|f| crate_of(&f.path).starts_with("weft-store"))
    {
        let code = code_of(&f.text);
        for (n, line) in code.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("weft_engine::") {
                let after = &rest[at + "weft_engine::".len()..];
                if !after.starts_with("state::") && !after.starts_with('{') {
                    out.push(format!(
                        "{}: line {}: `weft_engine::{}` (the stores know the engine's data types, weft_engine::state, not its workings)",
                        f.path,
                        n + 1,
                        after.split(|c: char| !is_ident_char(c)).next().unwrap_or("")
                    ));
                }
                rest = after;
            }
        }
    }
    out
}

/// No unfinished code, anywhere under `crates/` (tests included).
fn unfinished(files: &[File]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        for w in ["todo!", "unimplemented!"] {
            for line in word_lines(&f.text, w) {
                out.push(format!("{}: line {line}: `{w}`", f.path));
            }
        }
    }
    out
}

// ----- limits -----

/// The Rust path of a file's module (`crates/weft-server/src/api.rs` →
/// `weft_server::api`; `lib.rs`, `main.rs` and `mod.rs` are their folder).
fn module_path(path: &str) -> String {
    let krate = crate_of(path).replace('-', "_");
    let rel = path
        .split_once("/src/")
        .map(|(_, r)| r)
        .unwrap_or("")
        .trim_end_matches(".rs");
    let mut parts = vec![krate];
    for p in rel.split('/') {
        if !matches!(p, "lib" | "main" | "mod") {
            parts.push(p.to_string());
        }
    }
    parts.join("::")
}

/// True for a constant that is a limit: all of `weft_engine::limits`, and
/// any public one named with a `MAX`, `MIN` or `BUDGET` word.
fn is_limit(module: &str, name: &str) -> bool {
    module == "weft_engine::limits"
        || name
            .split('_')
            .any(|w| matches!(w, "MAX" | "MIN" | "BUDGET"))
}

/// Every top-level `pub const` of the code: full path → the value's text.
fn constants(files: &[File]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in files {
        let module = module_path(&f.path);
        for line in code_of(&f.text).lines() {
            let Some(rest) = line.strip_prefix("pub const ") else {
                continue;
            };
            let Some((name, rest)) = rest.split_once(':') else {
                continue;
            };
            let Some((_, value)) = rest.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_end_matches(';').trim();
            out.insert(format!("{module}::{}", name.trim()), value.to_string());
        }
    }
    out
}

/// The value of a constant's expression: integers (with `_`) multiplied
/// together, or a `Duration::from_secs`/`from_millis` (in milliseconds).
fn code_value(expr: &str) -> Option<u128> {
    let expr = expr.trim();
    for (prefix, scale) in [
        ("Duration::from_secs(", 1_000u128),
        ("Duration::from_millis(", 1),
    ] {
        if let Some(inner) = expr.strip_prefix(prefix).and_then(|r| r.strip_suffix(')')) {
            return code_value(inner).map(|v| v * scale);
        }
    }
    expr.split('*')
        .map(|f| f.trim().replace('_', "").parse::<u128>().ok())
        .try_fold(1u128, |acc, f| f.map(|f| acc * f))
}

/// The value of a limit as the docs write it: `1,000`, `1 MiB`, `30 s`,
/// `100 ms`, `5 min` (sizes in bytes, times in milliseconds).
fn doc_value(text: &str) -> Option<u128> {
    let text = text.trim();
    let (number, unit) = text.split_once(' ').unwrap_or((text, ""));
    let n: u128 = number.replace(',', "").parse().ok()?;
    let scale = match unit {
        "" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "ms" => 1,
        "s" => 1_000,
        "min" => 60_000,
        _ => return None,
    };
    Some(n * scale)
}

/// The rows of the limits tables: (path, value text).
fn documented_limits(operating: &str) -> Vec<(String, String)> {
    let Some((_, section)) = operating.split_once("\n## Limits\n") else {
        return Vec::new();
    };
    let section = section.split("\n## ").next().unwrap_or("");
    let mut out = Vec::new();
    for line in section.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 {
            continue;
        }
        if let Some(path) = cells[1]
            .strip_prefix('`')
            .and_then(|c| c.strip_suffix('`'))
            .filter(|p| p.contains("::"))
        {
            out.push((path.to_string(), cells[2].to_string()));
        }
    }
    out
}

/// The limits of the code and the docs' tables agree both ways.
fn limits_documented(files: &[File], operating: &str) -> Vec<String> {
    let consts = constants(files);
    let rows = documented_limits(operating);
    let mut out = Vec::new();
    let mut documented = BTreeSet::new();
    for (path, value) in &rows {
        if !documented.insert(path.clone()) {
            out.push(format!("docs/operating.md: `{path}` is listed twice"));
        }
        match consts.get(path) {
            None => out.push(format!(
                "docs/operating.md lists `{path}`, which the code does not define"
            )),
            Some(expr) => match (code_value(expr), doc_value(value)) {
                (Some(c), Some(d)) if c == d => {}
                (Some(_), Some(_)) => out.push(format!(
                    "`{path}` is `{expr}` in the code but {value} in docs/operating.md"
                )),
                (None, _) => out.push(format!("`{path}`: cannot read the code's value `{expr}`")),
                (_, None) => out.push(format!(
                    "`{path}`: cannot read the documented value `{value}` (write 1,000, 1 MiB, 30 s or 100 ms)"
                )),
            },
        }
    }
    for path in consts.keys() {
        let (module, name) = path.rsplit_once("::").expect("a path");
        if is_limit(module, name) && !documented.contains(path) {
            out.push(format!(
                "`{path}` is a limit missing from docs/operating.md's limits tables"
            ));
        }
    }
    out
}

// ----- HTTP error codes -----

/// The rows of the codes table: (code, status, meaning).
fn documented_codes(doc: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 5 {
            continue;
        }
        if let Some(code) = cells[1].strip_prefix('`').and_then(|c| c.strip_suffix('`')) {
            out.push((code.to_string(), cells[2].to_string(), cells[3].to_string()));
        }
    }
    out
}

/// The code's table and the documented one are the same, in order.
fn codes_documented(code: &[(String, String, String)], doc: &str) -> Vec<String> {
    let documented = documented_codes(doc);
    let mut out = Vec::new();
    for c in code {
        match documented.iter().find(|d| d.0 == c.0) {
            None => out.push(format!("error code `{}` is not in docs/api-errors.md", c.0)),
            Some(d) if d != c => out.push(format!(
                "error code `{}`: the code says ({}, {:?}), docs/api-errors.md ({}, {:?})",
                c.0, c.1, c.2, d.1, d.2
            )),
            Some(_) => {}
        }
    }
    for d in &documented {
        if !code.iter().any(|c| c.0 == d.0) {
            out.push(format!(
                "docs/api-errors.md lists `{}`, which weft_server::error::Code does not have",
                d.0
            ));
        }
    }
    if out.is_empty()
        && documented
            .iter()
            .map(|d| &d.0)
            .ne(code.iter().map(|c| &c.0))
    {
        out.push("docs/api-errors.md lists the codes in another order than Code::ALL".into());
    }
    out
}

// ----- module circles -----

/// Circles among a crate's top-level modules that are known and allowed:
/// (crate, the modules of the circle, sorted).
const KNOWN_MODULE_CIRCLES: &[(&str, &[&str])] = &[];

/// The top-level modules of each crate that import each other in a circle
/// (`crate::x` in the code of module `y`, tests left out).
fn module_circles(files: &[File]) -> Vec<String> {
    let mut graphs: BTreeMap<&str, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for f in files {
        let module = module_path(&f.path);
        let mut parts = module.split("::").skip(1);
        let Some(top) = parts.next() else { continue };
        let edges = graphs
            .entry(crate_of(&f.path))
            .or_default()
            .entry(top.to_string())
            .or_default();
        let code = code_of(&f.text);
        let mut rest = code.as_str();
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(is_ident_char) {
                continue;
            }
            let target: String = rest.chars().take_while(|c| is_ident_char(*c)).collect();
            if !target.is_empty() && target != top {
                edges.insert(target);
            }
        }
    }
    let mut out = Vec::new();
    for (krate, graph) in &graphs {
        for circle in strongly_connected(graph) {
            let known = KNOWN_MODULE_CIRCLES.iter().any(|(k, ms)| {
                k == krate && ms.iter().copied().eq(circle.iter().map(String::as_str))
            });
            if !known {
                out.push(format!(
                    "crates/{krate}: the modules {} import each other in a circle",
                    circle.join(", ")
                ));
            }
        }
    }
    out
}

/// The strongly connected components of more than one node, each sorted.
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Two nodes are in one circle when each reaches the other.
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(n) = todo.pop() {
            for next in graph.get(&n).into_iter().flatten() {
                if graph.contains_key(next) && seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|k| (k, reach(k))).collect();
    let mut circles: BTreeSet<Vec<String>> = BTreeSet::new();
    for (a, from_a) in &reaches {
        let mut circle: Vec<String> = from_a
            .iter()
            .filter(|b| reaches.get(b).is_some_and(|r| r.contains(*a)))
            .cloned()
            .collect();
        if !circle.is_empty() {
            if !circle.contains(a) {
                circle.push((*a).clone());
            }
            circle.sort();
            circle.dedup();
            if circle.len() > 1 {
                circles.insert(circle);
            }
        }
    }
    circles.into_iter().collect()
}

// ----- the tree -----

fn server_codes() -> Vec<(String, String, String)> {
    weft_server::error::Code::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().to_string(),
                c.status().as_u16().to_string(),
                c.meaning().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_tree_keeps_the_house_rules() {
    let files = sources();
    let manifests = manifests();
    let mut broken = Vec::new();
    broken.extend(print_macros(&files));
    broken.extend(lsp_types(&files, &manifests));
    broken.extend(engine_io(&files, &manifests));
    broken.extend(http_libraries(&files, &manifests));
    broken.extend(stores_know_only_engine_data(&files));
    broken.extend(unfinished(&files));
    broken.extend(limits_documented(&files, &doc("operating.md")));
    broken.extend(codes_documented(&server_codes(), &doc("api-errors.md")));
    broken.extend(module_circles(&files));
    assert!(
        broken.is_empty(),
        "the house rules (ARCHITECTURE.md) are broken:\n  {}",
        broken.join("\n  ")
    );
}

// ----- each rule fails when it is broken -----

fn file(path: &str, text: &str) -> File {
    File {
        path: path.into(),
        text: text.into(),
    }
}

#[test]
fn print_macros_are_found_outside_the_binary_and_tests() {
    let files = [
        file("crates/weft-runtime/src/a.rs", "fn f() {\n    eprintln!(\"x\");\n}\n"),
        file("crates/weft-runtime/src/b.rs", "fn f() { dbg!(1); print!(\"y\") }\n"),
        file("crates/weft-cli/src/main.rs", "fn main() { println!(\"ok\") }\n"),
        file(
            "crates/weft-runtime/src/c.rs",
            "// println!(\"a comment\")\nfn f() {}\n\n#[cfg(test)]\nmod tests {\n    fn t() {\n        println!(\"x\");\n    }\n}\n",
        ),
        file("crates/weft-worker/src/lib.rs", "fn log() { eprintln!(\"default\") }\n"),
        file("crates/weft-runtime/src/d.rs", "fn f() { my_println!(\"x\"); }\n"),
    ];
    let found = print_macros(&files);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].starts_with("crates/weft-runtime/src/a.rs: line 2: `eprintln!`"));
    assert!(found[1].contains("b.rs: line 1: `print!`"), "{found:?}");
    assert!(found[2].contains("b.rs: line 1: `dbg!`"), "{found:?}");
}

#[test]
fn lsp_types_are_found_outside_weft_lsp() {
    let files = [
        file("crates/weft-check/src/a.rs", "use lsp_types::Position;\n"),
        file(
            "crates/weft-lsp/src/lsp/mod.rs",
            "use lsp_types::Position;\n",
        ),
    ];
    let manifests = [
        file(
            "crates/weft-server/Cargo.toml",
            "[dependencies]\nlsp-server = \"0.10\"\n",
        ),
        file(
            "crates/weft-lsp/Cargo.toml",
            "[dependencies]\nlsp-server = \"0.10\"\n",
        ),
    ];
    let found = lsp_types(&files, &manifests);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("crates/weft-check/src/a.rs"));
    assert!(found[1].starts_with("crates/weft-server/Cargo.toml"));
}

#[test]
fn io_in_the_engine_is_found() {
    let files = [
        file(
            "crates/weft-engine/src/a.rs",
            "let t = std::time::SystemTime::now();\n",
        ),
        file(
            "crates/weft-engine/src/b.rs",
            "let x = rand::random::<u8>();\nlet operands = 1;\n",
        ),
        file(
            "crates/weft-engine/src/c.rs",
            "let f = std::fs::read(\"x\");\n",
        ),
        file(
            "crates/weft-runtime/src/d.rs",
            "let t = std::time::Instant::now();\n",
        ),
    ];
    let manifests = [file(
        "crates/weft-engine/Cargo.toml",
        "[dependencies]\ngetrandom = \"0.3\"\n\n[dev-dependencies]\ntokio = \"1\"\n",
    )];
    let found = engine_io(&files, &manifests);
    let named: Vec<&str> = found
        .iter()
        .map(|f| f.split('`').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        named,
        ["SystemTime", "std::time", "rand", "std::fs", "getrandom"],
        "{found:#?}"
    );
}

#[test]
fn http_libraries_are_found_outside_the_http_crates() {
    let files = [
        file("crates/weft-check/src/a.rs", "use reqwest::Client;\n"),
        file("crates/weft-server/src/a.rs", "use axum::Router;\n"),
    ];
    let manifests = [file(
        "crates/weft-import/Cargo.toml",
        "[dependencies]\nhyper = \"1\"\n\n[dev-dependencies]\nreqwest = \"0.13\"\n",
    )];
    let found = http_libraries(&files, &manifests);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].contains("weft-check/src/a.rs: line 1: `reqwest`"));
    assert!(found[1].contains("weft-import/Cargo.toml: line 2: `hyper`"));
}

#[test]
fn stores_using_more_than_the_engines_data_are_found() {
    let files = [
        file(
            "crates/weft-store/src/a.rs",
            "use weft_engine::state::{Task, Status};\nuse weft_engine::{state::Entry};\n",
        ),
        file(
            "crates/weft-store-sqlite/src/lib.rs",
            "let p = weft_engine::compile::compile(x);\n",
        ),
    ];
    let found = stores_know_only_engine_data(&files);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("`weft_engine::compile`"), "{found:?}");
}

#[test]
fn unfinished_code_is_found() {
    let files = [file(
        "crates/weft-server/tests/x.rs",
        "fn a() { todo!() }\nfn b() { unimplemented!(\"later\") }\nfn c() { not_todo!() }\n",
    )];
    let found = unfinished(&files);
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn limits_and_their_table_must_agree() {
    let files = [
        file(
            "crates/weft-engine/src/limits.rs",
            "/// A.\npub const STEP_BUDGET: u64 = 1_000;\n/// B.\npub const RETRY_BACKOFF_MS_DEFAULT: u64 = 1_000;\n",
        ),
        file(
            "crates/weft-server/src/queue.rs",
            "pub const POLL_WAIT_MAX: Duration = Duration::from_secs(60);\npub const LEASE_DEFAULT: Duration = Duration::from_secs(30);\nconst PRIVATE_MAX: usize = 3;\n",
        ),
        file("crates/weft-syntax/src/lexer.rs", "pub const SOURCE_BYTES_MAX: usize = 16 * 1024 * 1024;\n"),
    ];
    let good = "# Ops\n\n## Limits\n\n| limit | value | bounds | when hit |\n|---|---|---|---|\n\
| `weft_engine::limits::STEP_BUDGET` | 1,000 | a | b |\n\
| `weft_engine::limits::RETRY_BACKOFF_MS_DEFAULT` | 1 s | a | b |\n\
| `weft_server::queue::POLL_WAIT_MAX` | 60 s | a | b |\n\
| `weft_syntax::lexer::SOURCE_BYTES_MAX` | 16 MiB | a | b |\n";
    assert_eq!(limits_documented(&files, good), Vec::<String>::new());
    // A row is missing; another has the wrong value; a third names nothing.
    let bad = good
        .replace(
            "| `weft_engine::limits::STEP_BUDGET` | 1,000 | a | b |\n",
            "",
        )
        .replace("60 s", "30 s")
        + "| `weft_server::queue::POLL_TASKS_MAX` | 100 | a | b |\n";
    let found = limits_documented(&files, &bad);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("POLL_WAIT_MAX` is `Duration::from_secs(60)` in the code but 30 s"));
    assert!(found[1]
        .contains("lists `weft_server::queue::POLL_TASKS_MAX`, which the code does not define"));
    assert!(found[2].contains("`weft_engine::limits::STEP_BUDGET` is a limit missing"));
}

#[test]
fn values_are_read_from_code_and_docs() {
    assert_eq!(code_value("1024 * 1024"), Some(1 << 20));
    assert_eq!(code_value("5 * 60 * 1_000"), Some(300_000));
    assert_eq!(code_value("Duration::from_millis(250)"), Some(250));
    assert_eq!(code_value("Duration::from_secs(5)"), Some(5_000));
    assert_eq!(code_value("i64::MAX"), None);
    assert_eq!(doc_value("1,000,000"), Some(1_000_000));
    assert_eq!(doc_value("32 MiB"), Some(32 << 20));
    assert_eq!(doc_value("5 min"), Some(300_000));
    assert_eq!(doc_value("100 ms"), Some(100));
    assert_eq!(doc_value("lots"), None);
    assert_eq!(
        module_path("crates/weft-store-sqlite/src/lib.rs"),
        "weft_store_sqlite"
    );
    assert_eq!(
        module_path("crates/weft-lsp/src/ide/mod.rs"),
        "weft_lsp::ide"
    );
    assert_eq!(
        module_path("crates/weft-check/src/contract/types.rs"),
        "weft_check::contract::types"
    );
}

#[test]
fn error_codes_and_their_table_must_agree() {
    let code = vec![
        (
            "unknown_run".to_string(),
            "404".to_string(),
            "No run has this id.".to_string(),
        ),
        (
            "conflict".to_string(),
            "409".to_string(),
            "Taken.".to_string(),
        ),
    ];
    let good = "| code | status | when | what to do |\n|---|---|---|---|\n\
| `unknown_run` | 404 | No run has this id. | Check it. |\n\
| `conflict` | 409 | Taken. | Read again. |\n";
    assert_eq!(codes_documented(&code, good), Vec::<String>::new());
    let bad = good.replace("| `conflict` | 409 |", "| `conflict` | 400 |")
        + "| `gone` | 410 | Gone. | Nothing. |\n";
    let found = codes_documented(&code, &bad);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].contains("`conflict`: the code says (409"),
        "{found:?}"
    );
    assert!(found[1].contains("lists `gone`"), "{found:?}");
    let missing = good.replace(
        "| `unknown_run` | 404 | No run has this id. | Check it. |\n",
        "",
    );
    assert_eq!(codes_documented(&code, &missing).len(), 1);
    let reordered = "| `conflict` | 409 | Taken. | Read again. |\n| `unknown_run` | 404 | No run has this id. | Check it. |\n";
    assert_eq!(codes_documented(&code, reordered).len(), 1);
}

#[test]
fn module_circles_are_found() {
    let files = [
        file(
            "crates/weft-server/src/api.rs",
            "use crate::ui::pages;\nuse crate::state::AppState;\n",
        ),
        file(
            "crates/weft-server/src/ui.rs",
            "use crate::api::AppState;\n",
        ),
        file(
            "crates/weft-server/src/state.rs",
            "use crate::error::ApiError;\n",
        ),
        file(
            "crates/weft-server/src/error.rs",
            "//! See crate::state.\n#[cfg(test)]\nmod tests {\n    use crate::state::X;\n}\n",
        ),
        file(
            "crates/weft-check/src/names.rs",
            "use crate::walk::Walker;\n",
        ),
        file("crates/weft-check/src/walk.rs", "use crate::names;\n"),
    ];
    let found = module_circles(&files);
    assert_eq!(
        found,
        [
            "crates/weft-check: the modules names, walk import each other in a circle",
            "crates/weft-server: the modules api, ui import each other in a circle",
        ]
    );
}
