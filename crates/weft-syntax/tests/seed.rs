//! Every flow of the seed design note parses exactly as written.

use std::path::{Path, PathBuf};

fn example_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "weft") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(
        files.len() >= 13,
        "expected the seed examples, found {files:?}"
    );
    files
}

#[test]
fn every_example_parses_without_diagnostics() {
    for file in example_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let parse = weft_syntax::parse(&text);
        let index = weft_syntax::LineIndex::new(&text);
        let rendered: Vec<String> = parse
            .diagnostics
            .iter()
            .map(|d| weft_syntax::diagnostic::render(&file.display().to_string(), &text, &index, d))
            .collect();
        assert!(rendered.is_empty(), "{}", rendered.join("\n"));
        assert!(!parse.module.items.is_empty(), "{}", file.display());
    }
}
