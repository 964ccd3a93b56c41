//! The compiler, tested by the bytecode it emits.
//!
//! Each `tests/cases/compile/<name>.weft` is a small program; its listing
//! (`weft_engine::listing`) must equal `<name>.out`. `UPDATE_EXPECT=1`
//! rewrites the `.out` files from what the compiler emits now. Compiling is
//! deterministic: every case is compiled twice and must list the same.

use std::fs;
use std::path::{Path, PathBuf};
use weft_engine::compile_source;
use weft_engine::listing::listing;

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/compile");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "weft"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no cases in {}", dir.display());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(path).unwrap();
        let compile = || {
            compile_source(&name, &text)
                .map(|p| listing(&p))
                .unwrap_or_else(|e| format!("error: {e}\n"))
        };
        let actual = compile();
        assert_eq!(
            actual,
            compile(),
            "{name}: compiling twice lists differently"
        );
        let expect_path = path.with_extension("out");
        if update {
            fs::write(&expect_path, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expect_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "--- {name} ---\nexpected:\n{expected}\nactual:\n{actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ (UPDATE_EXPECT=1 rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
