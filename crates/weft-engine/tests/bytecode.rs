//! Edition 1 never changes: every `.weft` of `examples/` (the regression
//! flows in `examples/_regressions` included) is compiled under edition 1
//! and its listing (`weft_engine::dump`) compared with the one checked in
//! under `tests/bytecode/`.
//!
//! `UPDATE_EXPECT=1` writes missing listings and rewrites those whose
//! source changed. It refuses to rewrite a listing whose source (and
//! prelude) did not change: then the compiler emits other code for the same
//! text under edition 1, which would resume waiting runs of versions
//! deployed before stored programs at the wrong instruction. Put such a
//! change behind a new edition (ARCHITECTURE.md, "Changing the compiler").
//! A change to the listing's own layout is made by deleting the files and
//! writing them again, in a commit of its own.

use std::path::{Path, PathBuf};

use weft_engine::dump::{dump, text_hash};
use weft_engine::{compile_sources_in, Edition};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn expectations() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bytecode")
}

fn weft_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
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

/// The `file` lines of a listing: they name the sources by hash.
fn file_lines(listing: &str) -> Vec<&str> {
    listing.lines().filter(|l| l.starts_with("file ")).collect()
}

#[test]
fn edition_1_compiles_every_example_as_recorded() {
    let update = std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1");
    let root = examples();
    let mut files = Vec::new();
    weft_files(&root, &mut files);
    assert!(files.len() >= 15, "examples/ holds the seed's flows");
    let mut failures = Vec::new();
    let mut expected_names = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&root).unwrap();
        let name = rel.display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let program = compile_sources_in(&[(name.as_str(), text.as_str())], Edition::E1)
            .unwrap_or_else(|e| panic!("{name} compiles: {e}"));
        let listing = format!(
            "# examples/{name} compiled under edition 1 (source fnv1a={:016x})\n{}",
            text_hash(&text),
            dump(&program)
        );
        let want_path = expectations().join(rel).with_extension("bytecode");
        expected_names.push(want_path.clone());
        let want = std::fs::read_to_string(&want_path).ok();
        if want.as_deref() == Some(listing.as_str()) {
            continue;
        }
        let same_source = want
            .as_deref()
            .is_some_and(|w| file_lines(w) == file_lines(&listing));
        if update && !same_source {
            std::fs::create_dir_all(want_path.parent().unwrap()).unwrap();
            std::fs::write(&want_path, &listing).unwrap();
            continue;
        }
        let why = match &want {
            None => "no listing is recorded (UPDATE_EXPECT=1 writes it)".to_string(),
            Some(_) if same_source => format!(
                "the compiler emits other code for the same source under edition 1; \
                 put the change behind a new edition (UPDATE_EXPECT=1 will not rewrite it)\n{}",
                first_difference(want.as_deref().unwrap(), &listing)
            ),
            Some(_) => format!(
                "the source changed since its listing was recorded (UPDATE_EXPECT=1 rewrites it)\n{}",
                first_difference(want.as_deref().unwrap(), &listing)
            ),
        };
        failures.push(format!("examples/{name}: {why}"));
    }
    // A listing whose example is gone would pin nothing.
    let mut recorded = Vec::new();
    listings(&expectations(), &mut recorded);
    for r in recorded {
        if !expected_names.contains(&r) {
            failures.push(format!(
                "{} has no example any more; delete it",
                r.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn listings(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            listings(&p, out);
        } else if p.extension().is_some_and(|e| e == "bytecode") {
            out.push(p);
        }
    }
}

fn first_difference(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}:\n  recorded: {w}\n  now:      {g}", i + 1);
        }
    }
    format!(
        "the listings differ in length ({} and {} lines)",
        want.lines().count(),
        got.lines().count()
    )
}
