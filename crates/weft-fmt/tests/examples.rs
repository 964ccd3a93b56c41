//! Every seed flow in `examples/` formats: same meaning, same comments,
//! idempotent.

mod common;

use std::path::{Path, PathBuf};

fn example_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("examples/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "weft") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() >= 12,
        "expected the seed examples, found {files:?}"
    );
    files
}

#[test]
fn every_example_round_trips_and_is_idempotent() {
    for file in example_files() {
        let text = std::fs::read_to_string(&file).expect("example is readable");
        let before = weft_syntax::parse(&text);
        let out = common::check_format(&text);
        let after = weft_syntax::parse(&out);
        assert_eq!(
            before.module.comments.len(),
            after.module.comments.len(),
            "{}",
            file.display()
        );
    }
}

#[test]
fn commented_out_code_survives_exactly() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/00-register-user/as-written/register-user.weft");
    let text = std::fs::read_to_string(file).expect("example is readable");
    let out = common::check_format(&text);
    for comment in weft_syntax::parse(&text).module.comments {
        assert!(
            out.contains(comment.text.trim_end()),
            "{:?} is not in the output",
            comment.text
        );
    }
}
