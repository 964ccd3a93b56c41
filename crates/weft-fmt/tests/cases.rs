//! Data-driven cases: `cases/<name>.weft` formats to
//! `cases/<name>.expected.weft`. Run with `UPDATE_EXPECT=1` to rewrite the
//! expected files from the formatter's output (then review the diff).

mod common;

use std::path::Path;

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".weft") && !name.ends_with(".expected.weft")
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no cases in {}", dir.display());
    let mut failures = Vec::new();
    for input in &inputs {
        let name = input.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        let expected_path = input.with_file_name(format!("{name}.expected.weft"));
        let source = std::fs::read_to_string(input).expect("case is readable");
        let out = common::check_format(&source);
        if update {
            std::fs::write(&expected_path, &out).expect("expected file is writable");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == out => {}
            Ok(expected) => failures.push(format!(
                "{name}: output differs\n--- expected\n{expected}--- actual\n{out}"
            )),
            Err(_) => failures.push(format!(
                "{name}: {} is missing (run with UPDATE_EXPECT=1)",
                expected_path.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
