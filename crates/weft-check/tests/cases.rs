//! Snapshot tests, one per file of `tests/cases/`.
//!
//! A case is `<name>.weft` (a program of one file) or a folder `<name>/` of
//! `.weft` files (one program, files in name order). Its parser and checker
//! diagnostics, rendered as a terminal shows them, must equal `<name>.out`;
//! a case that must produce nothing has an empty `.out`. Each fix a
//! diagnostic carries follows it (`= fix:` with its title, then the lines
//! the fix changes, as they read after it). Run with
//! `UPDATE_EXPECT=1` to rewrite the `.out` files from the current output.

use std::fs;
use std::path::{Path, PathBuf};
use weft_check::{check_program, SourceFile};
use weft_syntax::diagnostic::render;
use weft_syntax::{parse, LineIndex};

/// The files of a case, as (name, text).
fn case_files(path: &Path) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = if path.is_dir() {
        fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "weft"))
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The diagnostics of a case, rendered, parser's and checker's merged by
/// position within each file.
fn run_case(files: &[(String, String)]) -> String {
    let parses: Vec<_> = files.iter().map(|(_, text)| parse(text)).collect();
    let sources: Vec<SourceFile> = files
        .iter()
        .zip(&parses)
        .map(|((name, _), p)| SourceFile {
            name,
            module: &p.module,
        })
        .collect();
    let checked = check_program(&sources);
    let mut out = String::new();
    for (((name, text), p), diags) in files.iter().zip(&parses).zip(checked) {
        let index = LineIndex::new(text);
        let mut all: Vec<_> = p.diagnostics.iter().cloned().chain(diags).collect();
        all.sort_by_key(|d| (d.span.start, d.span.end));
        for d in &all {
            out.push_str(&render(name, text, &index, d));
            for fix in &d.fixes {
                out.push_str(&render_fix(text, fix));
            }
            out.push('\n');
        }
    }
    out
}

/// A fix as the lines it changes: the text after it, from the first line
/// that differs to the last.
fn render_fix(text: &str, fix: &weft_syntax::Fix) -> String {
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut fixed = text.to_string();
    for e in &edits {
        fixed.replace_range(e.span.start as usize..e.span.end as usize, &e.text);
    }
    let old: Vec<&str> = text.lines().collect();
    let new: Vec<&str> = fixed.lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = format!("  = fix: {}\n", fix.title);
    for line in &new[prefix..new.len() - suffix] {
        out.push_str(&format!("  |   {line}\n"));
    }
    if prefix + suffix == new.len() {
        out.push_str(&format!("  |   (line {} removed)\n", prefix + 1));
    }
    out
}

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "weft"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    let mut failures = Vec::new();
    for case in &cases {
        let actual = run_case(&case_files(case));
        let expect_path = case.with_extension("out");
        if update {
            fs::write(&expect_path, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expect_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "--- {} ---\nexpected:\n{expected}\nactual:\n{actual}",
                case.display()
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
