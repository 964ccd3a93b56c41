//! Snapshot tests of the plan checker, one per `tests/cases/<name>.toml`.
//!
//! A case is a plan, and optionally `<name>.weft`, the program it places.
//! Its diagnostics, rendered as `weft plan check` prints them, must equal
//! `<name>.out` (empty when the plan is clean). The only component that
//! exists is `present.wasm`. `UPDATE_EXPECT=1` rewrites the `.out` files.

use std::fs;
use std::path::Path;

use weft_syntax::diagnostic::render;
use weft_syntax::LineIndex;

fn run_case(toml_path: &Path) -> String {
    let text = fs::read_to_string(toml_path).unwrap();
    let weft = toml_path.with_extension("weft");
    let program_text = fs::read_to_string(&weft).ok();
    let parsed = program_text.as_deref().map(weft_syntax::parse);
    let program = parsed.as_ref().map(|p| {
        assert!(
            !p.has_errors(),
            "{}: the program has syntax errors",
            weft.display()
        );
        weft_plan::Program::of(&[weft_check::SourceFile {
            name: "program.weft",
            module: &p.module,
        }])
    });
    let (_, diags) = weft_plan::check_text(&text, program.as_ref(), &|p| p == "present.wasm");
    let name = toml_path.file_name().unwrap().to_string_lossy();
    let index = LineIndex::new(&text);
    let mut out = String::new();
    for d in &diags {
        out.push_str(&render(&name, &text, &index, d));
        out.push('\n');
    }
    out
}

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "the cases are missing");
    let mut failed = Vec::new();
    for p in paths {
        let got = run_case(&p);
        let expected_path = p.with_extension("out");
        if update {
            fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failed.push(format!(
                "--- {}\nexpected:\n{expected}\ngot:\n{got}",
                p.display()
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Every code the checker has is documented in docs/deploying.md, and
/// every code documented there exists.
#[test]
fn codes_are_documented() {
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/deploying.md"))
            .unwrap();
    let documented: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| `P"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let documented: Vec<String> = documented.iter().map(|c| format!("P{c}")).collect();
    let known: Vec<String> = weft_plan::codes::ALL
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(documented, known, "docs/deploying.md's table of codes");
}
